"""The review of a submitted attempt: per question right or wrong, the officer's answer, the
explanation and legal basis, and the correct answer only when it may be revealed.

Everything comes from the attempt itself: its pinned revision, its draw and the points stored
when it was graded. Editing the quiz afterwards therefore changes nothing here.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from learning.content.quiz_format import format_number
from learning.models import Attempt
from .quizzing import attempt_questions, saved_responses

ARROW = Markup(" → ")
NOTHING = Markup("—")


@dataclass(frozen=True)
class ReviewItem:
    number: int
    slug: str
    type: str
    prompt_html: Markup
    law: str | None
    explanation_html: Markup
    points: float
    max_points: int
    correct: bool
    given: list[Markup]  # the officer's answer, one line each; empty when unanswered
    key: list[Markup] | None  # the correct answer; None while it is not revealed

    @property
    def partly(self) -> bool:
        return not self.correct and self.points > 0


@dataclass(frozen=True)
class AttemptReview:
    attempt: Attempt
    items: list[ReviewItem]
    revealed: bool

    @property
    def right(self) -> int:
        return sum(item.correct for item in self.items)


def review_attempt(attempt: Attempt, revealed: bool) -> AttemptReview:
    """The review of a submitted attempt; `revealed` decides whether correct answers are shown
    (see quizzing.answers_revealed)."""
    responses = saved_responses(attempt)
    graded = {row.question_slug: row for row in attempt.answers}
    items = []
    for number, (entry, question) in enumerate(attempt_questions(attempt), start=1):
        row = graded.get(question["slug"])
        given, key = _DESCRIBERS[question["type"]](entry, question, responses.get(question["slug"]))
        items.append(ReviewItem(
            number=number, slug=question["slug"], type=question["type"],
            prompt_html=Markup(question["html"]["prompt"]), law=question.get("law"),
            explanation_html=Markup(question["html"]["explanation"] or ""),
            points=row.points if row and row.points is not None else 0.0,
            max_points=question["points"], correct=bool(row and row.correct),
            given=given, key=key if revealed else None,
        ))
    return AttemptReview(attempt=attempt, items=items, revealed=revealed)


def _describe_options(entry: dict, question: dict, response: object):
    html = question["html"]["options"]
    chosen = set(response) if isinstance(response, list) else {response}
    shown = entry["options"]
    given = [Markup(html[i]) for i in shown if i in chosen]
    key = [Markup(html[i]) for i in shown if question["options"][i]["correct"]]
    return given, key


def _describe_short(entry: dict, question: dict, response: object):
    given = [escape(response)] if isinstance(response, str) and response else []
    return given, [escape(answer) for answer in question["accepted"]]


def _describe_numeric(entry: dict, question: dict, response: object):
    given = [escape(response)] if isinstance(response, str) and response else []
    value, tolerance = question["value"], question.get("tolerance") or 0
    text = format_number(value) + (f" ± {format_number(tolerance)}" if tolerance else "")
    return given, [escape(text)]


def _describe_matching(entry: dict, question: dict, response: object):
    pairs = question["html"]["pairs"]
    rights = [right for _, right in pairs] + list(question["html"].get("distractors") or [])
    response = response if isinstance(response, dict) else {}
    given = []
    for left, (left_html, _) in enumerate(pairs):
        chosen = response.get(str(left))
        if isinstance(chosen, int) and 0 <= chosen < len(rights):
            given.append(Markup(left_html) + ARROW + Markup(rights[chosen]))
    key = [Markup(left_html) + ARROW + Markup(right_html) for left_html, right_html in pairs]
    return given, key


def _describe_ordering(entry: dict, question: dict, response: object):
    items = question["html"]["items"]
    order = response if isinstance(response, list) else []
    given = [escape(f"{place}. ") + (Markup(items[item]) if isinstance(item, int)
                                      and 0 <= item < len(items) else NOTHING)
             for place, item in enumerate(order, start=1)]
    key = [escape(f"{place}. ") + Markup(item) for place, item in enumerate(items, start=1)]
    return given, key


_DESCRIBERS = {
    "single": _describe_options, "true_false": _describe_options, "multiple": _describe_options,
    "short": _describe_short, "numeric": _describe_numeric,
    "matching": _describe_matching, "ordering": _describe_ordering,
}
