"""The participants' evaluation of an event and its speakers: Likert items (1-5) and open
questions, configured per event, anonymous to the organiser.

Anonymity. A receipt records THAT an officer evaluated (so each evaluates once, and reminders
know who has not); the answers are stored apart, under a random token, with no officer, no time
and no sequence, so no row links an answer to a receipt. Reports show only aggregates, and only
once at least `MIN_ANSWERS` (5) participants answered: with fewer, an organiser who knows who
attended could work out who wrote what.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learning.extensions import db
from learning.models import (EventAttendance, EventEvaluationAnswer, EventEvaluationReceipt,
                             TrainingEvent, User)
from .checkin import attendance_of

MIN_ANSWERS = 5
LIKERT = (1, 2, 3, 4, 5)
MAX_OPEN = 1000


class EvaluationRefused(Exception):
    """code: not_attended, already, incomplete"""

    def __init__(self, code: str, missing: list[str] | None = None):
        self.code, self.missing = code, missing or []
        super().__init__(code)


def has_evaluated(event: TrainingEvent, user: User) -> bool:
    return db.session.scalar(sa.select(EventEvaluationReceipt.id).where(
        EventEvaluationReceipt.event_id == event.id,
        EventEvaluationReceipt.user_id == user.id)) is not None


def read_answers(event: TrainingEvent, form: Mapping) -> dict[str, object]:
    """The answers posted for the event's items; raises EvaluationRefused("incomplete") naming
    every Likert item left unanswered. Values outside 1-5 count as unanswered."""
    answers: dict[str, object] = {}
    missing = []
    for item in event.evaluation or []:
        raw = form.get(f"e-{item['key']}", "")
        raw = raw if isinstance(raw, str) else ""
        if item["kind"] == "likert":
            if raw.strip() in {str(v) for v in LIKERT}:
                answers[item["key"]] = int(raw.strip())
            else:
                missing.append(item["key"])
        else:
            text = " ".join(raw.split())[:MAX_OPEN]
            if text:
                answers[item["key"]] = text
    if missing:
        raise EvaluationRefused("incomplete", missing)
    return answers


def submit(event: TrainingEvent, user: User, form: Mapping) -> None:
    """Store one officer's evaluation (attendees only, once)."""
    if attendance_of(event, user) is None:
        raise EvaluationRefused("not_attended")
    if has_evaluated(event, user):
        raise EvaluationRefused("already")
    answers = read_answers(event, form)
    try:
        with db.session.begin_nested():
            db.session.add(EventEvaluationReceipt(event_id=event.id, user_id=user.id))
            db.session.flush()
    except IntegrityError:
        raise EvaluationRefused("already") from None
    db.session.add(EventEvaluationAnswer(token=secrets.token_hex(16), event_id=event.id,
                                         answers=answers))
    db.session.flush()


@dataclass(frozen=True)
class ItemSummary:
    key: str
    text: str
    kind: str
    answered: int
    mean: float | None = None
    counts: tuple[int, ...] = ()  # answers 1..5
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvaluationSummary:
    respondents: int
    shown: bool  # False below MIN_ANSWERS: nothing but the count is given
    items: list[ItemSummary]


def summary(event: TrainingEvent) -> EvaluationSummary:
    rows = list(db.session.scalars(sa.select(EventEvaluationAnswer.answers)
                                   .where(EventEvaluationAnswer.event_id == event.id)))
    if len(rows) < MIN_ANSWERS:
        return EvaluationSummary(len(rows), False, [])
    items = []
    for item in event.evaluation or []:
        values = [row.get(item["key"]) for row in rows if row.get(item["key"]) is not None]
        if item["kind"] == "likert":
            numbers = [v for v in values if isinstance(v, int)]
            counts = tuple(numbers.count(v) for v in LIKERT)
            mean = round(sum(numbers) / len(numbers), 2) if numbers else None
            items.append(ItemSummary(item["key"], item["text"], "likert", len(numbers), mean,
                                     counts))
        else:
            comments = tuple(sorted(str(v) for v in values))  # sorted: no answer order leaks
            items.append(ItemSummary(item["key"], item["text"], "open", len(comments),
                                     comments=comments))
    return EvaluationSummary(len(rows), True, items)


def missing_evaluations(event: TrainingEvent) -> list[int]:
    """Officers who attended and have not evaluated yet (for the reminder)."""
    done = sa.select(EventEvaluationReceipt.user_id).where(
        EventEvaluationReceipt.event_id == event.id)
    return list(db.session.scalars(sa.select(EventAttendance.user_id).where(
        EventAttendance.event_id == event.id, EventAttendance.user_id.not_in(done))))
