"""The pre-test and post-test of an event, and the learning gain they show.

Both are drawn from the published revision of a quiz chosen by the organiser (the same quiz, or
two quizzes), each drawn separately when the officer starts it, with the quiz's own draw and
shuffle rules (learning.quizzes.quizzing.draw_questions) and graded by the same grader. One
attempt per officer and phase; the event's tests never touch the quiz's module progress or its
attempt count.

Normalised gain (Hake): g = (post - pre) / (100 - pre), in percentage points of what was left to
learn; undefined (None) when the pre-test was already 100%.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learning.content.quiz_format import Question
from learning.extensions import db
from learning.models import EventTestAttempt, Office, Quiz, TrainingEvent, User
from learning.quizzes import answer_sheet
from learning.quizzes.grading import grade_attempt
from learning.quizzes.quizzing import draw_questions
from learning.reports.tables import DECIMAL, SCORE, Column, ReportRow, ReportTable

PRE, POST = "pre", "post"
PHASES = (PRE, POST)


class TestUnavailable(Exception):
    """The event has no test for this phase, its quiz has no published revision, or (pre-test)
    the officer has already started the post-test."""


class TestClosed(Exception):
    """The attempt was submitted already: its score stands."""


def quiz_for(event: TrainingEvent, phase: str) -> Quiz | None:
    quiz = event.pre_quiz if phase == PRE else event.post_quiz if phase == POST else None
    return quiz if quiz is not None and quiz.published_revision_id is not None else None


def attempt_of(event: TrainingEvent, user: User, phase: str) -> EventTestAttempt | None:
    return db.session.scalar(sa.select(EventTestAttempt).where(
        EventTestAttempt.event_id == event.id, EventTestAttempt.user_id == user.id,
        EventTestAttempt.phase == phase))


def start(event: TrainingEvent, user: User, phase: str, now: datetime,
          rng: random.Random) -> EventTestAttempt:
    """The officer's attempt for this phase: the existing one, or a new draw."""
    quiz = quiz_for(event, phase)
    if quiz is None:
        raise TestUnavailable(phase)
    existing = attempt_of(event, user, phase)
    if existing is not None:
        return existing
    if phase == PRE and attempt_of(event, user, POST) is not None:
        raise TestUnavailable(phase)  # a pre-test after the post-test would measure nothing
    revision = quiz.published_revision
    attempt = EventTestAttempt(event_id=event.id, user_id=user.id, phase=phase,
                               quiz_revision_id=revision.id, draw=draw_questions(revision, rng),
                               correct={}, started_at=now)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def questions_of(attempt: EventTestAttempt) -> list[tuple[dict, dict]]:
    by_slug = {q["slug"]: q for q in attempt.revision.questions}
    return [(entry, by_slug[entry["slug"]]) for entry in attempt.draw if entry["slug"] in by_slug]


def answer_sheet_of(attempt: EventTestAttempt):
    return answer_sheet.sheet(questions_of(attempt), {})


def submit(attempt: EventTestAttempt, form: Mapping, now: datetime) -> EventTestAttempt:
    """Grade the posted answers once. Raises TestClosed on a repeat and answer_sheet.BadAnswer on
    values no page could have sent (nothing is stored then)."""
    if attempt.submitted_at is not None:
        raise TestClosed(attempt.id)
    pairs = questions_of(attempt)
    reading = answer_sheet.read_responses(pairs, form, partial=False)
    questions = [Question.from_dict(question) for _, question in pairs]
    result = grade_attempt(questions, reading.responses, attempt.revision.pass_mark)
    attempt.correct = {slug: r.correct for slug, r in result.results.items()}
    attempt.percent, attempt.passed = result.percent, result.passed
    attempt.submitted_at = now
    db.session.flush()
    return attempt


def normalised_gain(pre: float | None, post: float | None) -> float | None:
    """(post - pre) / (100 - pre), rounded to 2 decimals; None without both scores or at pre 100."""
    if pre is None or post is None or pre >= 100:
        return None
    return round((post - pre) / (100.0 - pre), 2)


@dataclass(frozen=True)
class GainLine:
    user_id: int
    name: str
    office: str
    pre: float | None
    post: float | None
    passed: bool | None

    @property
    def gain(self) -> float | None:
        return normalised_gain(self.pre, self.post)


def _submitted(event_ids: list[int]) -> list[EventTestAttempt]:
    return list(db.session.scalars(sa.select(EventTestAttempt).where(
        EventTestAttempt.event_id.in_(event_ids or [0]),
        EventTestAttempt.submitted_at.is_not(None))))


def gain_lines(event: TrainingEvent) -> list[GainLine]:
    """Per officer who took at least one of the tests: pre, post and gain (one query)."""
    rows = db.session.execute(
        sa.select(EventTestAttempt.user_id, EventTestAttempt.phase, EventTestAttempt.percent,
                  EventTestAttempt.passed, User.full_name, Office.name)
        .join(User, User.id == EventTestAttempt.user_id)
        .outerjoin(Office, Office.id == User.office_id)
        .where(EventTestAttempt.event_id == event.id,
               EventTestAttempt.submitted_at.is_not(None)))
    people: dict[int, dict] = {}
    for user_id, phase, percent, passed, name, office in rows:
        entry = people.setdefault(user_id, {"name": name, "office": office or ""})
        entry[phase] = (percent, passed)
    lines = [GainLine(uid, p["name"], p["office"], p.get(PRE, (None, None))[0],
                      p.get(POST, (None, None))[0], p.get(POST, (None, None))[1])
             for uid, p in people.items()]
    return sorted(lines, key=lambda ln: (ln.office, ln.name, ln.user_id))


def mean_gain(lines: list[GainLine]) -> tuple[float | None, float | None, float | None]:
    """(mean pre, mean post, gain of the means) over officers who took both tests."""
    both = [ln for ln in lines if ln.pre is not None and ln.post is not None]
    if not both:
        return None, None, None
    pre = round(sum(ln.pre for ln in both) / len(both), 1)
    post = round(sum(ln.post for ln in both) / len(both), 1)
    return pre, post, normalised_gain(pre, post)


def office_gains(lines: list[GainLine]) -> list[tuple[str, int, float | None, float | None,
                                                      float | None]]:
    """(office, officers with both tests, mean pre, mean post, gain) per office."""
    offices: dict[str, list[GainLine]] = {}
    for line in lines:
        offices.setdefault(line.office, []).append(line)
    rows = []
    for office, members in sorted(offices.items()):
        both = [ln for ln in members if ln.pre is not None and ln.post is not None]
        rows.append((office, len(both), *mean_gain(members)))
    return rows


@dataclass(frozen=True)
class QuestionGain:
    slug: str
    prompt: str
    pre_rate: float | None  # % correct among those who were asked it at the pre-test
    post_rate: float | None

    @property
    def change(self) -> float | None:
        if self.pre_rate is None or self.post_rate is None:
            return None
        return round(self.post_rate - self.pre_rate, 1)


def question_gains(event: TrainingEvent) -> list[QuestionGain]:
    """Per question asked in both tests: share correct before and after, least improved first."""
    counts: dict[str, dict[str, list[int]]] = {}
    prompts: dict[str, str] = {}
    for attempt in _submitted([event.id]):
        for question in attempt.revision.questions:
            prompts.setdefault(question["slug"], question.get("prompt", question["slug"]))
        for slug, correct in (attempt.correct or {}).items():
            tally = counts.setdefault(slug, {PRE: [0, 0], POST: [0, 0]})[attempt.phase]
            tally[0] += 1 if correct else 0
            tally[1] += 1

    def rate(tally):
        return round(100.0 * tally[0] / tally[1], 1) if tally[1] else None

    rows = [QuestionGain(slug, prompts.get(slug, slug), rate(t[PRE]), rate(t[POST]))
            for slug, t in counts.items()]
    rows = [row for row in rows if row.change is not None]
    return sorted(rows, key=lambda row: (row.change, row.slug))


def gain_table(event: TrainingEvent) -> ReportTable:
    """The per-officer scores and gain as a report table (the event report's CSV / XLSX)."""
    table = ReportTable(
        name=f"gain-{event.id}", caption=_l("Pre-test, post-test dan gain"),
        columns=[Column("name", _l("Nama")), Column("office", _l("Kantor")),
                 Column("pre", "Pre", SCORE), Column("post", "Post", SCORE),
                 Column("gain", "Gain", DECIMAL)])
    lines = gain_lines(event)
    table.rows = [ReportRow((ln.name, ln.office, ln.pre, ln.post, ln.gain)) for ln in lines]
    pre, post, gain = mean_gain(lines)
    table.total = ReportRow((str(_l("Rata-rata")), "", pre, post, gain))
    return table
