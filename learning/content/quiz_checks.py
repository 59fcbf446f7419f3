"""The quiz format's validation rules: a parsed question must be complete and consistent (and so
can be written back to Markdown by quiz_to_markdown). Used by the parser and by converters."""
from __future__ import annotations

import math
import re
from typing import Callable

from .errors import ContentError
from .quiz_serialise import PARTIAL_TYPES, QUESTION_TYPES, TRUE_FALSE_TEXTS, Question

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
_HEADING = re.compile(r"^##(?:[ \t]+(.*?))?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def is_slug(text: object) -> bool:
    """A slug is lowercase letters, digits, '-' and '_', starting with a letter or digit."""
    return isinstance(text, str) and _SLUG.fullmatch(text) is not None


def _fence_after(fence: str | None, text: str) -> str | None:
    """The open code fence after `text`: opened by ``` or ~~~, closed by a longer-or-equal run."""
    match = _FENCE.match(text)
    if fence is None:
        return match.group(1) if match else None
    closes = match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
    return None if closes and not match.group(2).strip() else fence


def check_question(question: Question, path: str) -> None:
    """Raise ContentError at the question's heading line unless it is complete and consistent
    (and so can be written back to Markdown by quiz_to_markdown)."""
    problem = _general_problem(question) or _TYPE_PROBLEMS[question.type](question)
    if problem:
        raise ContentError(path, question.line or None, f"question '{question.slug}': {problem}")


def _general_problem(q: Question) -> str | None:
    if not is_slug(q.slug):
        return "the slug must be lowercase letters, digits, '-' and '_'"
    if q.type not in QUESTION_TYPES:
        return f"unknown question type '{q.type}'"
    if isinstance(q.points, bool) or not isinstance(q.points, int) or q.points < 1:
        return "points must be a whole number of at least 1"
    if q.partial and q.type not in PARTIAL_TYPES:
        return f"partial applies only to {', '.join(PARTIAL_TYPES)} questions"
    if q.law is not None and (not q.law.strip() or "\n" in q.law):
        return "law must be one non-empty line"
    if not q.prompt.strip():
        return "the prompt is empty"
    if _has_heading(q.prompt):
        return "the prompt must not contain a level-2 heading ('## ...')"
    return None


def _has_heading(markdown: str) -> bool:
    fence = None
    for text in markdown.split("\n"):
        if fence is None and _HEADING.match(text):
            return True
        fence = _fence_after(fence, text)
    return False


def _text_problem(texts: list[str], what: str, distinct: bool = True) -> str | None:
    """Each text must be one non-empty line and, when `distinct`, no two alike (ignoring case)."""
    if any(not text.strip() or "\n" in text for text in texts):
        return f"every {what} must be one non-empty line"
    if distinct and len({text.strip().casefold() for text in texts}) != len(texts):
        return f"two {what}s have the same text"
    return None


def _choice_problem(q: Question) -> str | None:
    correct = sum(option.correct for option in q.options)
    if len(q.options) < 2:
        return f"a {q.type} question needs at least two options"
    if q.type == "true_false" and sorted(o.text for o in q.options) != sorted(TRUE_FALSE_TEXTS):
        return "a true_false question has exactly the two options 'Benar' and 'Salah'"
    if correct == 0:
        return "no option is marked correct with [x]"
    if correct > 1 and q.type != "multiple":
        return (f"{correct} options are marked [x]; a {q.type} question has exactly one "
                "(use type: multiple)")
    return _text_problem([o.text for o in q.options], "option")


def _short_problem(q: Question) -> str | None:
    if not q.accepted:
        return "a short question needs at least one accepted answer"
    if any("|" in answer for answer in q.accepted):
        return "an accepted answer cannot contain '|'"
    return _text_problem(q.accepted, "accepted answer")


def _numeric_problem(q: Question) -> str | None:
    if q.value is None or not math.isfinite(q.value):
        return "a numeric question needs an answer value"
    if not math.isfinite(q.tolerance) or q.tolerance < 0:
        return "the tolerance must be zero or more"
    return None


def _matching_problem(q: Question) -> str | None:
    if len(q.pairs) < 2:
        return "a matching question needs at least two pairs '- left => right'"
    if any("=>" in left for left, _ in q.pairs):
        return "the left side of a pair cannot contain '=>'"
    rights = {right.strip().casefold() for _, right in q.pairs}
    if any(extra.strip().casefold() in rights for extra in q.distractors):
        return "a distractor '- => ...' repeats a right item of a pair"
    return (_text_problem([left for left, _ in q.pairs], "left item")
            or _text_problem([right for _, right in q.pairs], "right item", distinct=False)
            or _text_problem(q.distractors, "distractor"))


def _ordering_problem(q: Question) -> str | None:
    if len(q.items) < 2:
        return "an ordering question needs at least two items"
    return _text_problem(q.items, "item")


_TYPE_PROBLEMS: dict[str, Callable[[Question], str | None]] = {
    "single": _choice_problem, "multiple": _choice_problem, "true_false": _choice_problem,
    "short": _short_problem, "numeric": _numeric_problem,
    "matching": _matching_problem, "ordering": _ordering_problem,
}
