"""Taking a quiz: starting (or resuming) an attempt, saving answers, submitting, standing.

An attempt is pinned to the quiz revision that was published when it started. Starting draws the
questions and fixes their order, the order of every question's options, right-hand items and
ordering items ONCE, on the server, in `Attempt.draw`:

    [{"slug": "tiga-unsur", "options": [2, 0, 1]},      # single / multiple / true_false
     {"slug": "pasangan", "right": [1, 0, 2]},           # matching: right-hand choices shown
     {"slug": "urutan", "items": [2, 0, 1]},             # ordering: items as shown
     {"slug": "pasal"}]                                  # short / numeric

Each list maps a displayed position (0-based here, 1-based on the page) to a canonical index of
the question as written. Answers are stored in canonical indices (see learning.quizzes.grading), so the
page never needs to know which option is right. `learning.quizzes.answer_sheet` does the mapping.

Concurrency: save and submit lock the attempt row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite
every writing request already holds the database write lock, BEGIN IMMEDIATE) and check the status
inside the transaction, so however many submits race, exactly one grades the attempt. These
functions add and flush; the caller commits.
"""
from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from . import answer_sheet
from learning.content.quiz_format import TRUE_FALSE_TEXTS, Question
from learning.extensions import db
from .grading import grade_attempt
from learning.models import Attempt, AttemptAnswer, ModuleProgress, Quiz, QuizRevision, User
from learning.models.attempts import OPEN, SUBMITTED
from learning.learner.progress import complete_module
from learning.grants.granting import extra_for

__all__ = [
    "AttemptClosed", "AttemptsExhausted", "DeadlinePassed", "QuizError", "QuizRecord",
    "QuizUnavailable", "AnswersSaved", "StartResult", "SubmitResult", "answers_revealed",
    "attempt_questions", "draw_questions", "expire_overdue", "is_overdue", "quiz_record",
    "save_answers", "start_attempt", "submit_attempt",
]


class QuizError(Exception):
    """A rule of quiz taking was broken; the view turns it into a message."""


class QuizUnavailable(QuizError):
    """The quiz has no published revision."""


class AttemptsExhausted(QuizError):
    """Every allowed attempt has been used (max_attempts)."""

    def __init__(self, used: int, allowed: int):
        self.used, self.allowed = used, allowed
        super().__init__(f"{used} of {allowed} attempts used")


class AttemptClosed(QuizError):
    """The attempt was already submitted: it can no longer be changed."""


class DeadlinePassed(QuizError):
    """The attempt's time limit has run out: nothing more is saved."""


@dataclass(frozen=True)
class StartResult:
    attempt: Attempt
    resumed: bool  # True when an open attempt was returned instead of starting a new one


@dataclass(frozen=True)
class AnswersSaved:
    changed: int  # answers whose stored response changed
    conflicts: list[int] = field(default_factory=list)  # ordering questions with a repeated number


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    graded_now: bool  # False when the attempt had already been submitted (idempotent repeat)


@dataclass(frozen=True)
class QuizRecord:
    """Where one officer stands on one quiz (numbers for the quiz intro page)."""

    revision: QuizRevision | None
    attempts: list[Attempt]  # oldest first
    max_attempts: int  # 0 = unlimited
    open_attempt: Attempt | None
    best: Attempt | None  # the submitted attempt with the highest percent (earliest on a tie)
    passed: bool
    extra_attempts: int = 0  # granted to this officer (included in max_attempts)
    extra_minutes: int = 0  # granted to this officer (added to the time limit of a new attempt)

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def left(self) -> int | None:
        """Attempts that may still be started (None = unlimited); an open attempt counts as used."""
        if not self.max_attempts:
            return None
        return max(0, self.max_attempts - self.used)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is None and (self.left is None or self.left > 0)


# --------------------------------------------------------------------------- the draw


def _shuffled(order: list[int], rng: random.Random, avoid_identity: bool) -> list[int]:
    rng.shuffle(order)
    if avoid_identity and len(order) > 1 and order == sorted(order):
        order = order[1:] + order[:1]  # shown in the written order would give the answer away
    return order


def _arrange(question: dict, rng: random.Random, shuffle: bool) -> dict:
    """The display order of one question's parts (see the module docstring)."""
    entry: dict = {"slug": question["slug"]}
    kind = question["type"]
    if kind == "true_false":
        texts = [option["text"] for option in question["options"]]
        rank = {text: i for i, text in enumerate(TRUE_FALSE_TEXTS)}
        entry["options"] = sorted(range(len(texts)), key=lambda i: rank.get(texts[i], i))
    elif kind in ("single", "multiple"):
        order = list(range(len(question["options"])))
        entry["options"] = _shuffled(order, rng, False) if shuffle else order
    elif kind == "matching":
        first_with_text: dict[str, int] = {}
        for index, (_, right) in enumerate(question["pairs"]):
            first_with_text.setdefault(right, index)
        extras = range(len(question["pairs"]), len(question["pairs"]) + len(question.get("distractors") or []))
        entry["right"] = _shuffled(list(first_with_text.values()) + list(extras), rng, True)
    elif kind == "ordering":
        entry["items"] = _shuffled(list(range(len(question["items"]))), rng, True)
    return entry


def draw_questions(revision: QuizRevision, rng: random.Random) -> list[dict]:
    """Draw `revision.draw` questions (all when unset) and fix every display order.

    Without `shuffle` the drawn questions keep their written order and options are not shuffled;
    right-hand items of matching and items of ordering questions are always shown shuffled."""
    pool = list(revision.questions)
    count = min(revision.draw or len(pool), len(pool))
    picked = sorted(rng.sample(range(len(pool)), count)) if count < len(pool) else list(range(len(pool)))
    if revision.shuffle:
        rng.shuffle(picked)
    return [_arrange(pool[index], rng, revision.shuffle) for index in picked]


# --------------------------------------------------------------------------- reading attempts


def attempt_questions(attempt: Attempt) -> list[tuple[dict, dict]]:
    """(draw entry, question dict of the attempt's revision) for each drawn question, in order."""
    by_slug = {question["slug"]: question for question in attempt.revision.questions}
    return [(entry, by_slug[entry["slug"]]) for entry in attempt.draw]


def is_overdue(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at


def _lock(attempt: Attempt) -> Attempt:
    """The attempt row, locked for this transaction and re-read from the database."""
    return db.session.scalars(
        sa.select(Attempt).where(Attempt.id == attempt.id).with_for_update()
        .execution_options(populate_existing=True)).one()


def _answer_rows(attempt: Attempt) -> dict[str, AttemptAnswer]:
    rows = db.session.scalars(sa.select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
                              .execution_options(populate_existing=True))
    return {row.question_slug: row for row in rows}


def saved_responses(attempt: Attempt) -> dict[str, object]:
    """The stored response of every answered question, by slug (canonical indices)."""
    return {slug: row.response for slug, row in _answer_rows(attempt).items()
            if row.response is not None}


def _attempts(user: User, quiz: Quiz) -> list[Attempt]:
    """The officer's attempts in the current cycle: after a refresher or a substantive update
    hands the module back, earlier attempts no longer count (their scores stay on record)."""
    query = sa.select(Attempt).where(Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)
    cycle_start = db.session.scalar(sa.select(ModuleProgress.cycle_started_at).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == quiz.module_id))
    if cycle_start is not None:
        query = query.where(Attempt.started_at >= cycle_start)
    return list(db.session.scalars(query.order_by(Attempt.number)))


def quiz_record(user: User, quiz: Quiz) -> QuizRecord:
    """Attempts used and left, the open attempt, the best attempt and whether the quiz is passed.
    `max_attempts` is the published revision's plus any attempts granted to this officer
    (learning.grants): it decides whether another attempt may start."""
    attempts = _attempts(user, quiz)
    revision = quiz.published_revision
    extra = extra_for(user, quiz)
    submitted = [a for a in attempts if a.status == SUBMITTED]
    best = max(submitted, key=lambda a: (a.percent or 0.0, -a.number), default=None)
    return QuizRecord(
        revision=revision, attempts=attempts,
        max_attempts=(revision.max_attempts + extra.attempts
                      if revision and revision.max_attempts else 0),
        extra_attempts=extra.attempts, extra_minutes=extra.minutes,
        open_attempt=next((a for a in attempts if a.status == OPEN), None), best=best,
        passed=any(a.passed for a in submitted),
    )


def answers_revealed(record: QuizRecord) -> bool:
    """Correct answers are shown once the quiz is passed or no attempt is left to take, so a key
    cannot be harvested by failing on purpose."""
    return record.passed or (record.left == 0 and record.open_attempt is None)


# --------------------------------------------------------------------------- the rules


def expire_overdue(user: User, quiz: Quiz, now: datetime) -> list[Attempt]:
    """Grade every open attempt of `user` on `quiz` whose deadline has passed, with what was saved
    before the deadline."""
    overdue = [a for a in _attempts(user, quiz) if a.status == OPEN and is_overdue(a, now)]
    return [submit_attempt(attempt, now).attempt for attempt in overdue]


def start_attempt(user: User, quiz: Quiz, now: datetime, rng: random.Random) -> StartResult:
    """Resume the officer's open attempt, or start a new one on the published revision.

    Raises QuizUnavailable without a published revision and AttemptsExhausted beyond
    max_attempts (counting every attempt ever started, open or submitted)."""
    revision = quiz.published_revision
    if revision is None:
        raise QuizUnavailable(quiz.slug)
    # Serialise starts of one officer (PostgreSQL); SQLite writers are serialised already.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    expire_overdue(user, quiz, now)
    standing = quiz_record(user, quiz)
    if standing.open_attempt is not None:
        return StartResult(standing.open_attempt, resumed=True)
    if standing.left == 0:
        raise AttemptsExhausted(standing.used, standing.max_attempts)
    attempt = Attempt(
        user_id=user.id, quiz_id=quiz.id, quiz_revision_id=revision.id,
        number=(db.session.scalar(sa.select(sa.func.max(Attempt.number)).where(
            Attempt.user_id == user.id, Attempt.quiz_id == quiz.id)) or 0) + 1, status=OPEN,
        draw=draw_questions(revision, rng), started_at=now,
        deadline_at=(now + timedelta(minutes=revision.time_limit + standing.extra_minutes)
                     if revision.time_limit else None),
    )
    db.session.add(attempt)
    db.session.flush()
    return StartResult(attempt, resumed=False)


def save_answers(attempt: Attempt, responses: Mapping, now: datetime, *,
                 partial: bool = False) -> AnswersSaved:
    """Store the answers posted from the attempt page (form-like: field name -> value or list of
    values, see learning.quizzes.answer_sheet). With `partial`, only questions that have a field in
    `responses` are touched; otherwise a question without fields is stored as unanswered.

    Raises AttemptClosed when the attempt was submitted, DeadlinePassed after its deadline and
    answer_sheet.BadAnswer for values no page could have sent; nothing is changed then."""
    attempt = _lock(attempt)
    if attempt.status != OPEN:
        raise AttemptClosed(attempt.id)
    if is_overdue(attempt, now):
        raise DeadlinePassed(attempt.id)
    reading = answer_sheet.read_responses(attempt_questions(attempt), responses, partial=partial)
    rows = _answer_rows(attempt)
    changed = 0
    for slug, response in reading.responses.items():
        row = rows.get(slug)
        if row is None:
            if response is None:
                continue
            db.session.add(AttemptAnswer(attempt_id=attempt.id, question_slug=slug,
                                         response=response, saved_at=now))
            changed += 1
        elif row.response != response:
            row.response = response
            row.saved_at = now
            changed += 1
    db.session.flush()
    return AnswersSaved(changed=changed, conflicts=reading.conflicts)


def submit_attempt(attempt: Attempt, now: datetime) -> SubmitResult:
    """Grade the attempt once. A repeated submit changes nothing and reports graded_now=False.

    Past its deadline an attempt is graded with what was saved before the deadline, and is
    recorded as submitted at the deadline. A passed attempt completes the quiz's module."""
    attempt = _lock(attempt)
    if attempt.status != OPEN:
        return SubmitResult(attempt, graded_now=False)
    pairs = attempt_questions(attempt)
    questions = [Question.from_dict(question) for _, question in pairs]
    rows = _answer_rows(attempt)
    responses = {slug: row.response for slug, row in rows.items()}
    result = grade_attempt(questions, responses, attempt.revision.pass_mark)
    for question in questions:
        row = rows.get(question.slug)
        if row is None:
            row = AttemptAnswer(attempt_id=attempt.id, question_slug=question.slug, response=None,
                                saved_at=now)
            db.session.add(row)
        graded = result.results[question.slug]
        row.points, row.correct = graded.points, graded.correct
    finished = min(now, attempt.deadline_at) if attempt.deadline_at else now
    attempt.status = SUBMITTED
    attempt.submitted_at = finished
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.percent, attempt.passed = result.percent, result.passed
    db.session.flush()
    if result.passed:
        complete_module(attempt.user, attempt.quiz.module, finished)
    return SubmitResult(attempt, graded_now=True)
