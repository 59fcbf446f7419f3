"""The quiz Markdown format: the parser and the validation rules (the public entry point).

A quiz file is YAML front matter followed by one section per question. Each section opens with a
level-2 heading `## <question-slug>`, then optional `key: value` lines, the prompt, the answer part
(which depends on the question type) and an optional explanation written as a block quote.
docs/quiz-format.md describes the format for trainers. The data model and the writer live in
quiz_serialise and are re-exported here, so callers import everything from this module.
"""
from __future__ import annotations

import re
from typing import Callable, NoReturn

from .errors import ContentError
from .front_matter import meta_line, split_front_matter
from .quiz_review import read_review
from .quiz_checks import _HEADING, _fence_after, check_question, is_slug
from .quiz_serialise import (CHOICE_TYPES, DEFAULT_PASS_MARK, PARTIAL_TYPES, QUESTION_TYPES,
                             TRUE_FALSE_TEXTS, Option, Question, QuizDocument, format_number,
                             parse_number, quiz_to_markdown)

SETTINGS = ("slug", "module", "title", "pass_mark", "max_attempts", "draw", "shuffle", "time_limit",
            "review")

Line = tuple[int, str]  # (1-based line number in the file, text without trailing whitespace)
_Answer = tuple[list[Line], dict]  # (prompt lines, Question fields of the answer part)

_QUESTION_META = re.compile(r"^(type|points|law|partial)[ \t]*:[ \t]*(.*)$")
_QUOTE = re.compile(r"^ {0,3}> ?(.*)$")
_BULLET = re.compile(r"^ {0,3}[-*+](?:[ \t]+(.*)|$)")
_TASK = re.compile(r"^ {0,3}[-*+][ \t]+\[([ xX])\](?:[ \t]+(.*)|$)")
_ORDERED = re.compile(r"^ {0,3}\d{1,9}[.)](?:[ \t]+(.*)|$)")
_ANSWER = re.compile(r"^answer[ \t]*:[ \t]*(.*)$", re.IGNORECASE)
_TOLERANCE_SIGN = re.compile(r"±|\+/-|\+-")


def is_module_ref(text: object) -> bool:
    """A module reference is '<course slug>/<module slug>'."""
    if not isinstance(text, str) or text.count("/") != 1:
        return False
    course, _, module = text.partition("/")
    return is_slug(course) and is_slug(module)


# --------------------------------------------------------------------------- the whole file


def parse_quiz(text: str, path: str) -> QuizDocument:
    """Parse a quiz file; raise ContentError(path, line, reason) on the first problem found."""
    document = split_front_matter(text, path)
    settings = _read_settings(document.meta, text, path)
    lines = [(document.body_line + i, raw.rstrip()) for i, raw in enumerate(document.body.split("\n"))]
    questions: list[Question] = []
    first_seen: dict[str, int] = {}
    for heading_line, slug, body in _split_sections(lines, path):
        if slug in first_seen:
            raise ContentError(path, heading_line,
                               f"duplicate question slug '{slug}' "
                               f"(first used on line {first_seen[slug]})")
        first_seen[slug] = heading_line
        questions.append(_parse_question(heading_line, slug, body, path))
    if not questions:
        raise ContentError(path, document.body_line,
                           "the quiz has no questions ('## question-slug' headings)")
    draw = settings["draw"]
    if draw is not None and draw > len(questions):
        raise ContentError(path, meta_line(text, "draw"),
                           f"draw is {draw} but the pool has only {len(questions)} questions")
    return QuizDocument(**settings, questions=questions)


def _read_settings(meta: dict, text: str, path: str) -> dict:
    """The QuizDocument settings from the front matter, checked and with defaults applied."""

    def fail(key: str, message: str) -> NoReturn:
        raise ContentError(path, meta_line(text, key), message)

    for key in meta:
        if key not in SETTINGS:
            fail(str(key), f"unknown front matter field '{key}' (allowed: {', '.join(SETTINGS)})")
    for key in ("slug", "module", "title"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            fail(key, f"front matter field '{key}' is missing or empty")
    if not is_slug(meta["slug"]):
        fail("slug", "slug must be lowercase letters, digits, '-' and '_'")
    if not is_module_ref(meta["module"]):
        fail("module", "module must be '<course slug>/<module slug>', e.g. 'tppo/pengertian-tppo'")
    shuffle = meta.get("shuffle", True)
    if not isinstance(shuffle, bool):
        fail("shuffle", "shuffle must be true or false")
    draw = meta.get("draw")
    return {
        "slug": meta["slug"], "module_ref": meta["module"], "title": meta["title"].strip(),
        "pass_mark": _whole_number(meta, "pass_mark", DEFAULT_PASS_MARK, fail, maximum=100),
        "max_attempts": _whole_number(meta, "max_attempts", 0, fail),
        "draw": None if draw is None else _whole_number(meta, "draw", 0, fail, minimum=1),
        "shuffle": shuffle,
        "time_limit": _whole_number(meta, "time_limit", 0, fail),
        "review": read_review(meta, fail),
    }


def _whole_number(meta: dict, key: str, default: int, fail: Callable[[str, str], NoReturn],
                  minimum: int = 0, maximum: int | None = None) -> int:
    """meta[key] as a whole number within [minimum, maximum], or `default` when absent."""
    value = meta.get(key, default)
    in_range = (isinstance(value, int) and not isinstance(value, bool) and value >= minimum
                and (maximum is None or value <= maximum))
    if not in_range:
        limits = f"from {minimum} to {maximum}" if maximum is not None else f"of at least {minimum}"
        fail(key, f"{key} must be a whole number {limits}, got {value!r}")
    return value


def _split_sections(lines: list[Line], path: str) -> list[tuple[int, str, list[Line]]]:
    """Cut the body at `## slug` headings (ignoring any inside fenced code blocks)."""
    sections: list[tuple[int, str, list[Line]]] = []
    fence: str | None = None
    for number, text in lines:
        heading = _HEADING.match(text) if fence is None else None
        if heading:
            sections.append((number, (heading.group(1) or "").strip(), []))
            continue
        if not sections:
            if text.strip():
                raise ContentError(path, number, "text before the first question: "
                                   "every question starts with a heading '## question-slug'")
            continue
        fence = _fence_after(fence, text)
        sections[-1][2].append((number, text))
    return sections


# --------------------------------------------------------------------------- one question


def _parse_question(heading_line: int, slug: str, body: list[Line], path: str) -> Question:
    """Parse the lines under one `## slug` heading into a checked Question."""
    if not is_slug(slug):
        raise ContentError(path, heading_line, f"question heading '## {slug}' must be a slug: "
                           "lowercase letters, digits, '-' and '_'")
    meta, rest = _read_question_meta(body, path)
    qtype, points, law, partial = _question_settings(meta, path)
    rest, explanation = _take_explanation(rest)
    prompt_lines, answer = _ANSWER_READERS[qtype](rest, heading_line, qtype, path)
    question = Question(slug=slug, type=qtype, prompt=_join(prompt_lines), points=points, law=law,
                        explanation=explanation, partial=partial, line=heading_line, **answer)
    check_question(question, path)
    return question


def _read_question_meta(body: list[Line], path: str) -> tuple[dict[str, Line], list[Line]]:
    """The `key: value` lines right under the heading (up to the first other or blank line)."""
    index = 0
    while index < len(body) and not body[index][1].strip():
        index += 1
    meta: dict[str, Line] = {}
    while index < len(body) and (match := _QUESTION_META.match(body[index][1])):
        number = body[index][0]
        if match.group(1) in meta:
            raise ContentError(path, number, f"'{match.group(1)}' is given twice")
        meta[match.group(1)] = (number, match.group(2).strip())
        index += 1
    return meta, body[index:]


def _question_settings(meta: dict[str, Line], path: str) -> tuple[str, int, str | None, bool]:
    """type, points, law and partial from the question's `key: value` lines."""
    line, qtype = meta.get("type", (0, "single"))
    qtype = qtype.lower()
    if qtype not in QUESTION_TYPES:
        raise ContentError(path, line, f"unknown question type '{qtype}' "
                           f"(use one of: {', '.join(QUESTION_TYPES)})")
    line, points = meta.get("points", (0, "1"))
    if not points.isascii() or not points.isdigit() or int(points) < 1:
        raise ContentError(path, line, f"points must be a whole number of at least 1, got '{points}'")
    line, law = meta.get("law", (0, None))
    if law == "":
        raise ContentError(path, line, "law is empty: name the article, e.g. 'UU 21/2007 Pasal 2'")
    line, partial = meta.get("partial", (0, "false"))
    if partial.lower() not in ("true", "false"):
        raise ContentError(path, line, f"partial must be true or false, got '{partial}'")
    if partial.lower() == "true" and qtype not in PARTIAL_TYPES:
        raise ContentError(path, line, f"partial applies only to {', '.join(PARTIAL_TYPES)} questions")
    return qtype, int(points), law, partial.lower() == "true"


def _take_explanation(rest: list[Line]) -> tuple[list[Line], str | None]:
    """Split off the trailing block quote: the explanation shown after answering."""
    lines = _trim(rest)
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if _QUOTE.match(lines[index][1]):
            start = index
        elif lines[index][1].strip():
            break
    quoted = [(n, _QUOTE.match(t).group(1) if t.strip() else "") for n, t in lines[start:]]
    return lines[:start], (_join(quoted) or None)


def _take_list(rest: list[Line], is_item: Callable[[str], bool], heading_line: int, path: str,
               expected: str) -> tuple[list[Line], list[Line]]:
    """Split `rest` into the prompt and the trailing list of answer items (blank lines allowed
    between items). A plain bullet glued to the list is a malformed item, reported at its line."""
    lines = _trim(rest)
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if is_item(lines[index][1]):
            start = index
        elif lines[index][1].strip():
            break
    suspect = lines[start - 1] if start > 0 else None
    if suspect and suspect[1].strip() and _BULLET.match(suspect[1]):
        raise ContentError(path, suspect[0], f"expected {expected}, got '{suspect[1].strip()}'")
    if start == len(lines):
        last_item = max((i for i, (_, text) in enumerate(lines) if is_item(text)), default=None)
        if last_item is not None:
            after = next(line for line in lines[last_item + 1:] if line[1].strip())
            raise ContentError(path, after[0],
                               "only an explanation block quote ('> ...') may follow the answers")
        raise ContentError(path, heading_line, f"the answers are missing: expected {expected}")
    return lines[:start], [line for line in lines[start:] if line[1].strip()]


def _read_choices(rest: list[Line], heading_line: int, qtype: str, path: str) -> _Answer:
    """Options of a single, multiple or true_false question: a task list `- [x] text`."""
    prompt, items = _take_list(rest, lambda text: bool(_TASK.match(text)), heading_line, path,
                               "a task list of options '- [x] text' / '- [ ] text'")
    options = []
    for number, text in items:
        match = _TASK.match(text)
        option_text = (match.group(2) or "").strip()
        if not option_text:
            raise ContentError(path, number, "option text is empty")
        if qtype == "true_false":
            option_text = _canonical_true_false(option_text)
        options.append(Option(option_text, match.group(1) != " "))
    return prompt, {"options": options}


def _canonical_true_false(text: str) -> str:
    """'benar'/'SALAH' in any case become 'Benar'/'Salah'; other texts stay for check_question."""
    return next((word for word in TRUE_FALSE_TEXTS if word.casefold() == text.casefold()), text)


def _read_pairs(rest: list[Line], heading_line: int, qtype: str, path: str) -> _Answer:
    """Pairs of a matching question: a list `- left => right`; `- => right` (nothing on the left)
    is a distractor, an extra right-hand choice that belongs to no left item."""
    prompt, items = _take_list(rest, lambda text: bool(_BULLET.match(text)) and "=>" in text,
                               heading_line, path, "a list of pairs '- left => right'")
    pairs, distractors = [], []
    for number, text in items:
        left, _, right = (_BULLET.match(text).group(1) or "").partition("=>")
        if not right.strip():
            raise ContentError(path, number, "a pair needs text on both sides of '=>'")
        if left.strip():
            pairs.append((left.strip(), right.strip()))
        else:
            distractors.append(right.strip())
    return prompt, {"pairs": pairs, "distractors": distractors}


def _read_items(rest: list[Line], heading_line: int, qtype: str, path: str) -> _Answer:
    """Items of an ordering question: a numbered list in the correct order."""
    prompt, lines = _take_list(rest, lambda text: bool(_ORDERED.match(text)), heading_line, path,
                               "a numbered list '1. ...' in the correct order")
    items = []
    for number, text in lines:
        item = (_ORDERED.match(text).group(1) or "").strip()
        if not item:
            raise ContentError(path, number, "item text is empty")
        items.append(item)
    return prompt, {"items": items}


def _read_answer_line(rest: list[Line], heading_line: int, qtype: str, path: str) -> _Answer:
    """The `answer:` line of a short or numeric question: the last line before the explanation."""
    lines = _trim(rest)
    answers = [i for i, (_, text) in enumerate(lines) if _ANSWER.match(text)]
    if not answers:
        raise ContentError(path, heading_line, f"a {qtype} question needs a line 'answer: ...'")
    if answers[-1] != len(lines) - 1:
        after = next(line for line in lines[answers[-1] + 1:] if line[1].strip())
        raise ContentError(path, after[0],
                           "only an explanation block quote ('> ...') may follow the answer line")
    if len(answers) > 1:
        raise ContentError(path, lines[answers[0]][0], "a question has only one 'answer:' line")
    number, text = lines[-1]
    value = _ANSWER.match(text).group(1).strip()
    reader = _short_answer if qtype == "short" else _numeric_answer
    return lines[:-1], reader(value, number, path)


def _short_answer(value: str, number: int, path: str) -> dict:
    """`answer: a | b`: every alternative is accepted."""
    accepted = [alternative.strip() for alternative in value.split("|")]
    if not all(accepted):
        raise ContentError(path, number, "empty accepted answer: write 'answer: text | other text'")
    return {"accepted": accepted}


def _numeric_answer(value: str, number: int, path: str) -> dict:
    """`answer: 15` or `answer: 15 ± 1` (also '+-' and '+/-'); decimal comma allowed."""
    parts = _TOLERANCE_SIGN.split(value, maxsplit=1)
    numbers = [parse_number(part) for part in parts]
    if any(n is None for n in numbers) or (len(numbers) == 2 and numbers[1] < 0):
        raise ContentError(path, number, f"bad numeric answer '{value}': "
                           "write e.g. 'answer: 15' or 'answer: 15 ± 1'")
    return {"value": numbers[0], "tolerance": numbers[1] if len(numbers) == 2 else 0.0}


_ANSWER_READERS = {
    "single": _read_choices, "multiple": _read_choices, "true_false": _read_choices,
    "short": _read_answer_line, "numeric": _read_answer_line,
    "matching": _read_pairs, "ordering": _read_items,
}


def _trim(lines: list[Line]) -> list[Line]:
    """`lines` without leading and trailing blank lines."""
    filled = [i for i, (_, text) in enumerate(lines) if text.strip()]
    return lines[filled[0]:filled[-1] + 1] if filled else []


def _join(lines: list[Line]) -> str:
    return "\n".join(text for _, text in _trim(lines))


# --------------------------------------------------------------------------- validation


__all__ = [
    "CHOICE_TYPES", "DEFAULT_PASS_MARK", "PARTIAL_TYPES", "QUESTION_TYPES", "TRUE_FALSE_TEXTS",
    "Option", "Question", "QuizDocument", "check_question", "format_number", "is_module_ref",
    "is_slug", "parse_number", "parse_quiz", "quiz_to_markdown",
]
