"""The review of a submitted attempt: per question right or wrong, the officer's answer, the
explanation and legal basis, and the correct answer only when it may be revealed.

How much is shown depends on the quiz's `review:` setting (learning.content.quiz_review): after a
failed attempt while attempts remain, `topics` shows the topics to revisit and no question,
`questions` the questions marked right or wrong without explanations, `score` nothing but the
score; once the answers may be revealed (a pass, or no attempt left) every mode shows it all.

Everything comes from the attempt itself: its pinned revision, its draw and the points stored
when it was graded. Editing the quiz afterwards therefore changes nothing here.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from learning.content.quiz_format import format_number
from learning.content.quiz_review import FULL, review_shown
from learning.models import Attempt
from .quizzing import attempt_questions, saved_responses
from .review_topics import Topic, topics_to_revisit

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
    items: list[ReviewItem]  # empty unless the mode shows questions
    revealed: bool
    mode: str  # FULL, or the quiz's review mode while the answers stay hidden
    right: int  # questions fully right
    total: int  # questions drawn
    topics: list[Topic]  # the topics to revisit (mode "topics" only)

    @property
    def shows_questions(self) -> bool:
        return self.mode in (FULL, "questions")


def review_attempt(attempt: Attempt, revealed: bool) -> AttemptReview:
    """The review of a submitted attempt; `revealed` decides whether correct answers and
    explanations are shown (see quizzing.answers_revealed), the quiz's review mode the rest."""
    mode = review_shown(attempt.revision.review, revealed)
    responses = saved_responses(attempt)
    graded = {row.question_slug: row for row in attempt.answers}
    items = []
    for number, (entry, question) in enumerate(attempt_questions(attempt), start=1):
        row = graded.get(question["slug"])
        given, key = _DESCRIBERS[question["type"]](entry, question, responses.get(question["slug"]))
        items.append(ReviewItem(
            number=number, slug=question["slug"], type=question["type"],
            prompt_html=Markup(question["html"]["prompt"]), law=question.get("law"),
            explanation_html=Markup((question["html"]["explanation"] or "") if revealed else ""),
            points=row.points if row and row.points is not None else 0.0,
            max_points=question["points"], correct=bool(row and row.correct),
            given=given, key=key if revealed else None,
        ))
    right = sum(item.correct for item in items)
    topics = (topics_to_revisit(attempt.quiz.module, [item.law for item in items if not item.correct])
              if mode == "topics" else [])
    return AttemptReview(attempt=attempt, items=items if mode in (FULL, "questions") else [],
                         revealed=revealed, mode=mode, right=right, total=len(items),
                         topics=topics)


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
