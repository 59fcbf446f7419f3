"""Data for report tests: demo populations, and attempts written directly (as the quiz pages
would store them), so report tests do not depend on the quiz web pages."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from learning.config import ROOT
from learning.demo.generate import generate_demo
from learning.extensions import db
from learning.models import Attempt, AttemptAnswer, ModuleProgress, Quiz

AS_OF = date(2026, 3, 2)  # a Monday
TZ = "Asia/Jakarta"
NOW = datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)  # 2 March, 00:00 in Jakarta


def demo_population(officers: int, seed: int = 7, shipped: bool = True):
    """`flask demo`'s data set, on the shipped curriculum by default (imported first)."""
    from flask import current_app

    root = ROOT if shipped else current_app.config["CONTENT_ROOT"]
    summary = generate_demo(officers, seed, as_of=AS_OF, tz=TZ, content_root=root, force=True)
    db.session.commit()
    return summary


def submit_attempt(user, quiz: Quiz, number: int, answers: dict[str, tuple[object, bool]],
                   when: datetime, pass_mark: int | None = None) -> Attempt:
    """A submitted attempt on the quiz's published revision: `answers` maps question slug to
    (response, correct). The percent is the share of correct answers (1 point each)."""
    revision = quiz.published_revision
    correct = sum(1 for _, ok in answers.values() if ok)
    percent = round(100.0 * correct / len(answers), 1)
    attempt = Attempt(user_id=user.id, quiz_id=quiz.id, quiz_revision_id=revision.id,
                      number=number, status="submitted",
                      draw=[{"slug": slug} for slug in answers], started_at=when - timedelta(
                          minutes=10), submitted_at=when, score=float(correct),
                      max_score=len(answers), percent=percent,
                      passed=percent >= (pass_mark if pass_mark is not None
                                         else revision.pass_mark))
    db.session.add(attempt)
    db.session.flush()
    for slug, (response, ok) in answers.items():
        db.session.add(AttemptAnswer(attempt_id=attempt.id, question_slug=slug,
                                     response=response, saved_at=when,
                                     points=1.0 if ok else 0.0, correct=ok))
    db.session.flush()
    return attempt


def open_module(user, module, when: datetime, done: bool = False, seconds: int = 300):
    row = ModuleProgress(user_id=user.id, module_id=module.id, first_opened_at=when,
                         last_opened_at=when, last_active_at=when, seconds_spent=seconds,
                         completed_at=when + timedelta(minutes=5) if done else None)
    db.session.add(row)
    db.session.flush()
    return row


def count_queries(engine):
    """A context manager counting the SQL statements run on `engine`."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        seen: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield seen
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting()
