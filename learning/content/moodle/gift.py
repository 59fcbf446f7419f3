"""Reading Moodle's GIFT format into BankQuestions, following Moodle's own reader (qformat_gift).

- Questions are separated by blank lines; lines starting with `//` are comments.
- `$CATEGORY: path` names the category of the questions that follow.
- `::Title::` names a question; `[html]`, `[moodle]`, `[plain]` and `[markdown]` prefixes say how
  the question text, an answer or a feedback is written (and are never kept as text).
- The answer block `{...}`: empty -> essay; `#...` -> numerical (`15:1`, `14..16`, or several
  `=%w%value:tolerance#feedback` answers); `T`/`TRUE`/`F`/`FALSE` with `#wrong feedback#right
  feedback` -> true/false; `=left -> right` -> matching (a `= -> right` with no left side is a
  distractor); only `=` answers -> short answer; otherwise multiple choice, which allows several
  answers when no answer starts with `=`. `%50%` weights, `#feedback` per answer and `####general
  feedback` work everywhere Moodle allows them.
- Text after the block makes a missing-word question: the blank is shown as "____".
- Escapes `\\~ \\= \\# \\{ \\} \\:` give the character, `\\n` a line break.
"""
from __future__ import annotations

import re

from .model import (CLOZE, DESCRIPTION, ESSAY, MATCHING, MULTICHOICE, NUMERICAL, SHORTANSWER,
                    TRUEFALSE, BankAnswer, BankQuestion)
from .text import split_format, to_markdown, to_one_line

BLANK = "____"
_ESCAPE = re.compile(r"\\([~=#{}:\\n])")
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class _Unreadable(Exception):
    def __init__(self, code: str, **params):
        self.code, self.params = code, params


def read_gift(text: str, filename: str) -> list[BankQuestion]:
    """Every question of a GIFT file, in order; unreadable ones carry `problem`."""
    questions: list[BankQuestion] = []
    category = ""
    for line, chunk in _chunks(text):
        if chunk.startswith("$CATEGORY:"):
            category = chunk[len("$CATEGORY:"):].strip().split("\n")[0].strip()
            continue
        where = f"{filename}:{line}"
        try:
            question = _question(chunk, where, filename, line)
        except _Unreadable as exc:
            question = BankQuestion(where=where, qtype="unreadable", problem=exc.code,
                                    problem_params=exc.params)
        question.category = category
        questions.append(question)
    return questions


def _chunks(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each blank-line separated block, comments left out."""
    chunks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
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


def _question(chunk: str, where: str, filename: str, first_line: int) -> BankQuestion:
    name, rest = _take_title(chunk)
    opening = _find(rest, "{")
    if opening < 0:
        fmt, body = split_format(rest)
        text, changed = to_markdown(_unescape(body), fmt)
        return BankQuestion(where=where, qtype=DESCRIPTION, name=name, text=text,
                            html_changed=changed)
    closing = _find(rest, "}", opening + 1)
    if closing < 0:
        raise _Unreadable("gift_unclosed")
    after = rest[closing + 1:]
    if _find(after, "{") >= 0:
        return BankQuestion(where=where, qtype=CLOZE, name=name)
    fmt, before = split_format(rest[:opening])
    blank = BLANK if after.strip() else ""
    text, changed = to_markdown(_unescape(before) + blank + _unescape(after), fmt)
    block_line = first_line + rest[:opening].count("\n") + chunk[:len(chunk) - len(rest)].count("\n")
    question = BankQuestion(where=where, qtype=ESSAY, name=name, text=text, html_changed=changed)
    block, general = _split_general_feedback(rest[opening + 1:closing])
    question.general_feedback = general
    _read_block(question, block, fmt, filename, block_line)
    return question


def _read_block(question: BankQuestion, block: str, fmt: str, filename: str, line: int) -> None:
    stripped = block.strip()
    if not stripped:
        return  # essay
    if stripped.startswith("#"):
        question.qtype = NUMERICAL
        question.answers = _numerical(block[block.index("#") + 1:], fmt, filename, line)
        return
    head, *feedbacks = _split_unescaped(stripped, "#")
    verdict = _TRUE_FALSE.get(head.strip().upper())
    if verdict is not None:
        question.qtype = TRUEFALSE
        wrong = _feedback(feedbacks[0]) if feedbacks else ""
        right = _feedback(feedbacks[1]) if len(feedbacks) > 1 else ""
        question.answers = [BankAnswer("true", 1.0 if verdict else 0.0, right if verdict else wrong),
                            BankAnswer("false", 0.0 if verdict else 1.0, wrong if verdict else right)]
        return
    answers = _split_answers(block, filename, line)
    markers = {marker for marker, _, _, _ in answers}
    # As Moodle decides: a '~' anywhere makes a multiple choice; '=' with '->' a matching.
    if "~" not in markers and any(_find(raw, "->") >= 0 for _, _, raw, _ in answers):
        question.qtype = MATCHING
        question.pairs = [_pair(marker, raw, where) for marker, _, raw, where in answers]
        return
    question.qtype = SHORTANSWER if markers == {"="} else MULTICHOICE
    if question.qtype == MULTICHOICE:
        question.single = "=" in markers
    question.answers = []
    for marker, weight, raw, where in answers:
        body, feedback = _answer_and_feedback(raw)
        text, changed = to_one_line(*_formatted(body, fmt))
        question.html_changed |= changed
        fraction = weight / 100 if weight is not None else (1.0 if marker == "=" else 0.0)
        question.answers.append(BankAnswer(text, fraction, feedback, where=where))


def _numerical(block: str, fmt: str, filename: str, line: int) -> list[BankAnswer]:
    """Numeric answers; text from a '~' on is feedback for any other answer (Moodle keeps it as
    a 0% answer '*')."""
    wrong = _find(block, "~")
    catch_all = []
    if wrong >= 0:
        catch_all = [BankAnswer("*", 0.0, _answer_and_feedback(block[wrong + 1:])[1])]
        block = block[:wrong]
    if _find(block, "=") < 0:
        body, feedback = _answer_and_feedback(block)
        return [_number_answer(body, 1.0, feedback)] + catch_all
    answers = []
    for marker, weight, raw, where in _split_answers(block, filename, line):
        body, feedback = _answer_and_feedback(raw)
        fraction = weight / 100 if weight is not None else (1.0 if marker == "=" else 0.0)
        answer = _number_answer(body, fraction, feedback)
        answer.where = where
        answers.append(answer)
    return answers + catch_all


def _number_answer(spec: str, fraction: float, feedback: str) -> BankAnswer:
    """`15:1`, `14..16` or `15` as an answer with a tolerance."""
    spec = _unescape(spec).strip()
    try:
        if ".." in spec:
            low, high = (float(part.replace(",", ".")) for part in spec.split("..", 1))
            if low > high:
                raise ValueError
            return BankAnswer(_plain_number((low + high) / 2), fraction, feedback, (high - low) / 2)
        value, _, tolerance = spec.partition(":")
        number, margin = float(value.replace(",", ".")), float((tolerance or "0").replace(",", "."))
    except ValueError:
        raise _Unreadable("gift_bad_number", text=spec[:60]) from None
    if margin < 0 or number != number or abs(number) == float("inf"):
        raise _Unreadable("gift_bad_number", text=spec[:60])
    return BankAnswer(_plain_number(number), fraction, feedback, abs(margin))


def _plain_number(number: float) -> str:
    return str(int(number)) if number == int(number) else repr(number)


def _pair(marker: str, raw: str, where: str) -> tuple[str, str, str]:
    if marker != "=":
        raise _Unreadable("gift_matching_marker")
    body, _ = _answer_and_feedback(raw)
    arrow = _find(body, "->")
    if arrow < 0:
        raise _Unreadable("gift_matching_marker")
    left, _ = to_one_line(*_formatted(body[:arrow], "moodle"))
    right, _ = to_one_line(*_formatted(body[arrow + 2:], "moodle"))
    return left, right, where


def _formatted(raw: str, default: str) -> tuple[str, str]:
    """(unescaped text, its format) for an answer: its own prefix, else the question's format."""
    fmt, body = split_format(raw.strip())
    return _unescape(body), (fmt if FORMAT_GIVEN.match(raw.strip()) else default)


FORMAT_GIVEN = re.compile(r"^\[(html|markdown|plain|moodle)\]", re.IGNORECASE)


def _feedback(raw: str) -> str:
    fmt, body = split_format(raw.strip())
    return to_markdown(_unescape(body), fmt)[0]


def _take_title(chunk: str) -> tuple[str, str]:
    if not chunk.startswith("::"):
        return "", chunk
    end = _find(chunk, "::", 2)
    if end < 0:
        raise _Unreadable("gift_unclosed_title")
    return " ".join(_unescape(chunk[2:end]).split()), chunk[end + 2:]


def _split_general_feedback(block: str) -> tuple[str, str]:
    """The answers and the general feedback after the last `####` (as Moodle reads it)."""
    mark, following = -1, _find(block, "####")
    while following >= 0:
        mark, following = following, _find(block, "####", following + 4)
    if mark < 0:
        return block, ""
    return block[:mark], _feedback(block[mark + 4:])


def _split_answers(block: str, filename: str, line: int) -> list[tuple[str, float | None, str, str]]:
    """(marker, weight or None, raw text with its feedback, file:line) of each answer."""
    marks = _unescaped_positions(block, "=~")
    if not marks or block[:marks[0]].strip():
        raise _Unreadable("gift_answers")
    answers = []
    for start, end in zip(marks, marks[1:] + [len(block)]):
        raw = block[start + 1:end]
        weight = _WEIGHT.match(raw)
        if weight:
            raw = raw[weight.end():]
        where = f"{filename}:{line + block[:start].count(chr(10))}"
        answers.append((block[start], float(weight.group(1)) if weight else None, raw, where))
    return answers


def _answer_and_feedback(raw: str) -> tuple[str, str]:
    mark = _find(raw, "#")
    if mark < 0:
        return raw, ""
    return raw[:mark], _feedback(raw[mark + 1:])


def _split_unescaped(text: str, char: str) -> list[str]:
    parts, last = [], 0
    for position in _unescaped_positions(text, char):
        parts.append(text[last:position])
        last = position + 1
    return parts + [text[last:]]


def _unescaped_positions(text: str, chars: str) -> list[int]:
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
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), text)
