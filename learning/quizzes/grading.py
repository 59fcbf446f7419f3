"""Grading quiz answers: pure functions from questions and responses to points. No I/O.

Responses always refer to the question's canonical (source-order) indices, never to option text,
so the order in which an attempt showed options or items does not matter here:

- single, true_false: int, index into `question.options`
- multiple: list of ints, indices into `question.options`
- short: str as typed
- numeric: str as typed (a decimal comma is fine); an int or float is accepted too
- matching: {left index: right index}, where the right index names the pair whose right-hand
  text the officer chose (pairs with the same right-hand text are interchangeable)
- ordering: list of item indices in the order the officer put them

Indices may also arrive as decimal-digit strings (form fields, JSON object keys). A missing or
malformed response scores 0; grading never raises because of a response.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable

from learning.content.quiz_format import PARTIAL_TYPES, Question, parse_number

__all__ = ["AttemptResult", "QuestionResult", "grade_attempt", "grade_question",
           "normalise_short", "parse_number"]

_TRAILING_PUNCTUATION = ".,;:!?"
_NUMERIC_SLACK = 1e-9  # absorbs binary rounding, e.g. 15.1 against 15 ± 0.1


@dataclass(frozen=True)
class QuestionResult:
    points: float  # points earned, 0..max_points (fractions only with partial credit)
    max_points: int
    correct: bool  # True only when the answer is fully right


@dataclass(frozen=True)
class AttemptResult:
    score: float
    max_score: int
    percent: float  # 0-100, rounded half up to 1 decimal
    passed: bool  # percent >= pass_mark
    results: dict[str, QuestionResult]  # by question slug, in question order


def grade_question(question: Question, response: object) -> QuestionResult:
    """Points for one response. Without `partial` a question scores all or nothing; with it
    (multiple, matching, ordering) it earns the share of its points its grader reports."""
    grader = _GRADERS.get(question.type)
    share = grader(question, response) if grader else 0.0
    if not (question.partial and question.type in PARTIAL_TYPES):
        share = 1.0 if share >= 1.0 else 0.0
    return QuestionResult(points=round(question.points * share, 4), max_points=question.points,
                          correct=share >= 1.0)


def grade_attempt(questions: list[Question], responses: Mapping[str, object],
                  pass_mark: int) -> AttemptResult:
    """Grade every question of an attempt (responses keyed by question slug; missing ones score
    0, unknown slugs are ignored). Passed when the rounded percent is at least `pass_mark`."""
    if not isinstance(responses, Mapping):
        responses = {}
    results = {q.slug: grade_question(q, responses.get(q.slug)) for q in questions}
    score = round(sum(result.points for result in results.values()), 4)
    max_score = sum(result.max_points for result in results.values())
    percent = _percent(score, max_score)
    return AttemptResult(score=score, max_score=max_score, percent=percent,
                         passed=percent >= pass_mark, results=results)


def normalise_short(text: str) -> str:
    """The comparable form of a short answer: Unicode-normalised (NFKC), casefolded, runs of
    whitespace collapsed to one space, surrounding spaces and trailing . , ; : ! ? removed."""
    text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return text.rstrip(_TRAILING_PUNCTUATION + " ")


def _percent(score: float, max_score: int) -> float:
    if max_score <= 0:
        return 0.0
    exact = Decimal(repr(score)) * 100 / Decimal(max_score)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------- reading responses


def _index(value: object, size: int) -> int | None:
    """`value` as an index into a list of `size` entries, or None (bools and negatives refused)."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size:
        return value
    return None


def _indices(value: object, size: int) -> list[int] | None:
    """`value` as a list of valid indices, or None when it is not a list or any entry is invalid."""
    if not isinstance(value, (list, tuple, set, frozenset)):
        return None
    indices = [_index(entry, size) for entry in value]
    return None if None in indices else indices


def _number(value: object) -> float | None:
    if isinstance(value, str):
        return parse_number(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return None


# --------------------------------------------------------------------------- graders: share 0..1


def _grade_one_option(question: Question, response: object) -> float:
    """single, true_false: right when the chosen option is the one marked [x]."""
    index = _index(response, len(question.options))
    return 1.0 if index is not None and question.options[index].correct else 0.0


def _grade_options(question: Question, response: object) -> float:
    """multiple: (right picks - wrong picks) / correct options, never below 0; 1 only when the
    picks are exactly the options marked [x]."""
    picks = _indices(response, len(question.options))
    if picks is None:
        return 0.0
    correct = {i for i, option in enumerate(question.options) if option.correct}
    chosen = set(picks)
    if not correct:
        return 0.0
    if chosen == correct:
        return 1.0
    return max(0.0, (len(chosen & correct) - len(chosen - correct)) / len(correct))


def _grade_short(question: Question, response: object) -> float:
    """short: right when the normalised response equals a normalised accepted answer."""
    if not isinstance(response, str) or not normalise_short(response):
        return 0.0
    accepted = {normalise_short(answer) for answer in question.accepted}
    return 1.0 if normalise_short(response) in accepted else 0.0


def _grade_numeric(question: Question, response: object) -> float:
    """numeric: right when |response - value| <= tolerance."""
    number = _number(response)
    if number is None or question.value is None:
        return 0.0
    slack = _NUMERIC_SLACK * max(1.0, abs(question.value))
    return 1.0 if abs(number - question.value) <= question.tolerance + slack else 0.0


def _grade_matching(question: Question, response: object) -> float:
    """matching: share of left items given their own right-hand text."""
    if not isinstance(response, Mapping) or not question.pairs:
        return 0.0
    size = len(question.pairs)
    right = 0
    for left, (_, answer) in enumerate(question.pairs):
        chosen = _index(response.get(left, response.get(str(left))), size)
        right += chosen is not None and question.pairs[chosen][1] == answer
    return right / size


def _grade_ordering(question: Question, response: object) -> float:
    """ordering: share of positions holding the right item; the response must use every item once."""
    size = len(question.items)
    order = _indices(response, size)
    if order is None or size == 0 or sorted(order) != list(range(size)):
        return 0.0
    return sum(item == position for position, item in enumerate(order)) / size


_GRADERS: dict[str, Callable[[Question, object], float]] = {
    "single": _grade_one_option, "true_false": _grade_one_option, "multiple": _grade_options,
    "short": _grade_short, "numeric": _grade_numeric,
    "matching": _grade_matching, "ordering": _grade_ordering,
}
