"""Import of Moodle GIFT question files into the quiz format.

`gift_to_quiz` converts what the quiz format can express and reports the rest by line instead
of raising, so one odd question does not block the import of a whole question bank:

- `{=right ~wrong}` -> single; `{~%50%a ~%50%b ~%-100%c}` -> multiple with partial credit
- `{T}` `{TRUE}` `{F}` `{FALSE}` -> true_false with the options Benar / Salah
- `{=a =b}` -> short; `{#15:1}` `{#14..16}` `{#15}` -> numeric; `{=a -> b =c -> d}` -> matching
- text after the answer block (missing word) -> the blank is shown as "____" in the prompt
- reported: essay `{}`, descriptions without an answer block, cloze (several blocks), matching
  distractors, several full-credit answers in a single choice, anything unreadable

Per-answer feedback (`#...`) is dropped; general feedback (`####...`) becomes the explanation.
"""
from __future__ import annotations

import re
import unicodedata

from .errors import ContentError
from .quiz_format import (Option, Question, QuizDocument, check_question, is_module_ref,
                          is_slug, parse_number, parse_quiz, quiz_to_markdown)

_FORMAT_MARKER = re.compile(r"^\s*\[(?:html|markdown|plain|moodle)\]\s*", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_SLUG_LENGTH = 60
BLANK = "____"


class _Unsupported(Exception):
    """A GIFT question that cannot be converted; the message says why."""


def gift_to_quiz(text: str, *, slug: str, module_ref: str, title: str,
                 path: str = "<gift>") -> tuple[QuizDocument, list[tuple[int, str]]]:
    """Convert a GIFT file into a quiz with default settings.

    Returns the quiz (possibly with no questions) and (line, reason) for every question that was
    not converted. Raises ContentError only when slug, module_ref or title are unusable.
    """
    _check_target(slug, module_ref, title, path)
    questions: list[Question] = []
    problems: list[tuple[int, str]] = []
    taken: set[str] = set()
    chunks = [(line, chunk) for line, chunk in _chunks(text) if not chunk.startswith("$CATEGORY:")]
    for ordinal, (line, chunk) in enumerate(chunks, start=1):
        try:
            question = _convert(chunk, line)
            question.slug = _unique(question.slug or f"q{ordinal}", taken)
            check_question(question, path)
            _check_export(question, path)
        except _Unsupported as exc:
            problems.append((line, str(exc)))
            continue
        except ContentError as exc:
            problems.append((line, exc.message))
            continue
        taken.add(question.slug)
        questions.append(question)
    document = QuizDocument(slug=slug, module_ref=module_ref, title=title, questions=questions)
    return document, problems


def _check_target(slug: str, module_ref: str, title: str, path: str) -> None:
    if not is_slug(slug):
        raise ContentError(path, None,
                           f"quiz slug '{slug}' must be lowercase letters, digits, '-' and '_'")
    if not is_module_ref(module_ref):
        raise ContentError(path, None, f"module '{module_ref}' must be '<course slug>/<module slug>'")
    if not title.strip():
        raise ContentError(path, None, "the quiz needs a title")


def _check_export(question: Question, path: str) -> None:
    """Refuse a question that the quiz Markdown would not give back unchanged (for instance a
    prompt whose last line looks like an answer line)."""
    probe = QuizDocument(slug="probe", module_ref="probe/probe", title="probe", questions=[question])
    try:
        same = parse_quiz(quiz_to_markdown(probe), path).questions == [question]
    except ContentError:
        same = False
    if not same:
        raise _Unsupported("the question cannot be written in the quiz format unchanged; "
                           "convert it by hand")


def _chunks(text: str) -> list[tuple[int, str]]:
    """The questions of the file as (first line, text): blank lines separate questions and
    lines starting with // are comments."""
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    for number, raw in enumerate(lines + [""], start=1):
        if raw.lstrip().startswith("//"):
            continue
        if raw.strip():
            start = start if current else number
            current.append(raw.strip())
        elif current:
            chunks.append((start, "\n".join(current)))
            current = []
    return chunks


def _convert(chunk: str, line: int) -> Question:
    """One GIFT question as a Question (slug from its ::title::, possibly empty)."""
    title, rest = _take_title(chunk)
    rest = _FORMAT_MARKER.sub("", rest, count=1)
    opening = _find(rest, "{")
    if opening < 0:
        raise _Unsupported("no answer block: a description (text only) is not a question")
    closing = _find(rest, "}", opening + 1)
    if closing < 0:
        raise _Unsupported("the answer block '{' is never closed")
    after = rest[closing + 1:]
    if _find(after, "{") >= 0:
        raise _Unsupported("several answer blocks in one question (cloze) are not supported")
    answers, explanation = _split_general_feedback(rest[opening + 1:closing])
    blank = BLANK if after.strip() else ""
    prompt = _tidy_prompt(_unescape(rest[:opening]) + blank + _unescape(after))
    return Question(slug=_slugify(title), prompt=prompt, explanation=explanation, line=line,
                    **_answer_fields(answers))


def _answer_fields(block: str) -> dict:
    """The Question fields (type and answer part) for the inside of an answer block."""
    block = block.strip()
    if not block:
        raise _Unsupported("essay questions ('{}') are not supported: they need marking by hand")
    if block.startswith("#"):
        return _numeric(block[1:])
    verdict = _TRUE_FALSE.get(_strip_feedback(block).strip().upper())
    if verdict is not None:
        options = [Option("Benar", verdict), Option("Salah", not verdict)]
        return {"type": "true_false", "options": options}
    answers = _split_answers(block)
    if any(_find(text, "->") >= 0 for _, _, text in answers):
        return _matching(answers)
    if all(marker == "=" for marker, _, _ in answers):
        return _short(answers)
    return _choice(answers)


def _numeric(block: str) -> dict:
    """`15:1`, `14..16` or `15`, or several `=` answers of which the first full-credit one is used."""
    answers = _split_answers(block if _find(block, "=") >= 0 else "=" + block)
    full = [text for _, weight, text in answers if weight is None or weight >= 100]
    if not full:
        raise _Unsupported("no numeric answer carries full credit")
    spec = _unescape(full[0]).strip()
    if ".." in spec:
        low, high = (parse_number(part) for part in spec.split("..", 1))
        if low is None or high is None or low > high:
            raise _Unsupported(f"bad numeric range '{spec}'")
        return {"type": "numeric", "value": (low + high) / 2, "tolerance": (high - low) / 2}
    value_text, _, tolerance_text = spec.partition(":")
    value, tolerance = parse_number(value_text), parse_number(tolerance_text or "0")
    if value is None or tolerance is None or tolerance < 0:
        raise _Unsupported(f"bad numeric answer '{spec}'")
    return {"type": "numeric", "value": value, "tolerance": tolerance}


def _matching(answers: list[tuple[str, float | None, str]]) -> dict:
    pairs = []
    for marker, _, text in answers:
        arrow = _find(text, "->")
        if marker != "=" or arrow < 0:
            raise _Unsupported("a matching question needs every answer written '=left -> right'")
        left, right = _one_line(text[:arrow]), _one_line(text[arrow + 2:])
        if not left:
            raise _Unsupported("matching distractors (a right item with no left item) "
                               "are not supported")
        pairs.append((left, right))
    return {"type": "matching", "pairs": pairs}


def _short(answers: list[tuple[str, float | None, str]]) -> dict:
    """Every full-credit `=` answer is accepted; partial-credit ones are dropped."""
    accepted = [_one_line(text) for _, weight, text in answers if weight is None or weight >= 100]
    if not accepted:
        raise _Unsupported("no short answer carries full credit")
    return {"type": "short", "accepted": accepted}


def _choice(answers: list[tuple[str, float | None, str]]) -> dict:
    """With an `=` answer: single choice, that answer right. Only weighted `~` answers: single
    when one answer has 100% and no other is positive, else multiple with partial credit
    (every positive weight is a correct option)."""
    weights = [(100.0 if marker == "=" else 0.0) if weight is None else weight
               for marker, weight, _ in answers]
    texts = [_one_line(text) for _, _, text in answers]
    positive = [w > 0 for w in weights]
    if any(marker == "=" for marker, _, _ in answers) or (sum(positive) == 1 and max(weights) >= 100):
        full = [w >= 100 for w in weights]
        if sum(full) != 1:
            raise _Unsupported(f"{sum(full)} answers carry full credit; "
                               "a single choice needs exactly one")
        return {"type": "single", "options": [Option(t, f) for t, f in zip(texts, full)]}
    if not any(positive):
        raise _Unsupported("no answer has a positive weight")
    options = [Option(text, correct) for text, correct in zip(texts, positive)]
    return {"type": "multiple", "partial": True, "options": options}


# --------------------------------------------------------------------------- GIFT text handling


def _take_title(chunk: str) -> tuple[str, str]:
    """`::Title::` at the start of the question, unescaped, and the rest of the text."""
    if not chunk.startswith("::"):
        return "", chunk
    end = _find(chunk, "::", 2)
    if end < 0:
        raise _Unsupported("the title '::' is never closed")
    return _unescape(chunk[2:end]).strip(), chunk[end + 2:]


def _split_general_feedback(block: str) -> tuple[str, str | None]:
    """The answers and the general feedback after `####` (None when absent or empty)."""
    mark = _find(block, "####")
    if mark < 0:
        return block, None
    feedback = _tidy_prompt(_unescape(block[mark + 4:]))
    return block[:mark], feedback or None


def _split_answers(block: str) -> list[tuple[str, float | None, str]]:
    """(marker '=' or '~', weight or None, raw text without feedback) for each answer."""
    marks = _unescaped_positions(block, "=~")
    if not marks or block[:marks[0]].strip():
        raise _Unsupported("cannot read the answers: each must start with '=' or '~'")
    answers = []
    for start, end in zip(marks, marks[1:] + [len(block)]):
        text = _strip_feedback(block[start + 1:end])
        weight = _WEIGHT.match(text)
        if weight:
            text = text[weight.end():]
        answers.append((block[start], float(weight.group(1)) if weight else None, text))
    return answers


def _strip_feedback(text: str) -> str:
    mark = _find(text, "#")
    return text if mark < 0 else text[:mark]


def _unescaped_positions(text: str, chars: str) -> list[int]:
    """Indices of the characters of `chars` in `text` that are not escaped with a backslash."""
    positions, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in chars:
            positions.append(index)
        index += 1
    return positions


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after `start`, or -1."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
        elif text.startswith(token, index):
            return index
        else:
            index += 1
    return -1


def _unescape(text: str) -> str:
    """Resolve \\~ \\= \\# \\{ \\} \\: \\\\ and \\n (a line break)."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _one_line(raw: str) -> str:
    return " ".join(_unescape(raw).split())


def _tidy_prompt(text: str) -> str:
    """Lines stripped (GIFT indentation must not become a Markdown code block), blank edges dropped."""
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _slugify(title: str) -> str:
    """ASCII lowercase words joined by '-', at most 60 characters ('' for no usable title)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:_SLUG_LENGTH].rstrip("-")


def _unique(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3` ... when it is already taken."""
    candidate, counter = slug, 1
    while candidate in taken:
        counter += 1
        candidate = f"{slug}-{counter}"
    return candidate
