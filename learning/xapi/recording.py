"""Writing statements into the outbox in the same transaction as the event they record.

Nothing outside this module calls it: SQLAlchemy session events watch the rows that make the
events (the pattern of learning.reports.standing):

  * a new ModuleProgress row: the officer opened the module (experienced);
  * ModuleProgress.completed_at set to a new moment: the module was completed;
  * a new Attempt: the quiz was attempted; an Attempt becoming submitted: passed or failed;
  * a new Certificate: the course was completed and the certificate earned.

`before_flush` notes those rows; `after_flush_postexec` (ids known, same connection, same
transaction) builds the statements and inserts them unless their statement id is already there,
so a rolled-back event leaves no statement and a committed one always has its statement.
Recording is on when XAPI_ENDPOINT is set; `backfill` writes the statements of past events with
the same ids, so replaying history never duplicates what was recorded live.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learning.models import (Attempt, Certificate, Course, Module, ModuleProgress, Quiz,
                             QuizRevision, User, XapiStatement, utcnow)
from learning.models.attempts import SUBMITTED
from learning.models.users import Role
from . import statements as xs

NOTED = "xapi_noted"


def recording_enabled() -> bool:
    return has_app_context() and bool(current_app.config.get("XAPI_ENDPOINT"))


def site() -> xs.Site:
    return xs.Site.of(current_app.config.get("SITE_URL") or "")


# --------------------------------------------------------------------------- facts

def module_facts(connection, module_ids) -> dict[int, xs.ModuleFacts]:
    if not module_ids:
        return {}
    rows = connection.execute(
        sa.select(Module.id, Module.slug, Module.title, Course.slug, Course.title,
                  Module.published_revision_id)
        .join(Course, Course.id == Module.course_id).where(Module.id.in_(set(module_ids))))
    return {row[0]: xs.ModuleFacts(*row) for row in rows}


def _officers(connection, user_ids) -> set[int]:
    if not user_ids:
        return set()
    return set(connection.scalars(sa.select(User.id).where(
        User.id.in_(set(user_ids)), User.role == Role.OFFICER.value)))


def _attempt_rows(connection, attempt_ids):
    return connection.execute(
        sa.select(Attempt.id, Attempt.user_id, Quiz.module_id, Attempt.number, QuizRevision.title,
                  Attempt.quiz_revision_id, Attempt.started_at, Attempt.submitted_at,
                  Attempt.score, Attempt.max_score, Attempt.passed, Attempt.status)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(QuizRevision, QuizRevision.id == Attempt.quiz_revision_id)
        .where(Attempt.id.in_(set(attempt_ids)))).all()


def _certificate_rows(connection, certificate_ids):
    return connection.execute(
        sa.select(Certificate.id, Certificate.user_id, Certificate.number, Course.slug,
                  Certificate.course_title, Certificate.completed_at, Certificate.issued_at)
        .join(Course, Course.id == Certificate.course_id)
        .where(Certificate.id.in_(set(certificate_ids)))).all()


# --------------------------------------------------------------------------- building

def build(connection, where: xs.Site, opened=(), completed=(), attempted=(), results=(),
          certificates=()) -> list[dict]:
    """Statements for events given as ids and moments:
    opened/completed: (user_id, module_id, moment); attempted/results: attempt ids;
    certificates: certificate ids. Events of users who are not officers are left out."""
    attempts = {row[0]: row for row in _attempt_rows(connection, set(attempted) | set(results))}
    certs = _certificate_rows(connection, set(certificates)) if certificates else []
    users = ({u for u, _, _ in opened} | {u for u, _, _ in completed}
             | {row[1] for row in attempts.values()} | {row[1] for row in certs})
    officers = _officers(connection, users)
    modules = module_facts(connection, {m for _, m, _ in opened} | {m for _, m, _ in completed}
                           | {row[2] for row in attempts.values()})
    out = []
    for user_id, module_id, moment in opened:
        if user_id in officers and module_id in modules:
            out.append(xs.module_experienced(where, user_id, modules[module_id], moment))
    for user_id, module_id, moment in completed:
        if user_id in officers and module_id in modules:
            out.append(xs.module_completed(where, user_id, modules[module_id], moment))
    for attempt_id, row in attempts.items():
        if row[1] not in officers or row[2] not in modules:
            continue
        facts = xs.AttemptFacts(*row[:1], *row[3:11])
        if attempt_id in set(attempted):
            out.append(xs.quiz_attempted(where, row[1], modules[row[2]], facts))
        if attempt_id in set(results) and row[11] == SUBMITTED and row[7] is not None:
            out.append(xs.quiz_result(where, row[1], modules[row[2]], facts))
    for row in certs:
        if row[1] in officers:
            facts = xs.CertificateFacts(row[0], row[2], row[3], row[4], row[5], row[6])
            out.append(xs.course_completed(where, row[1], facts))
            out.append(xs.certificate_earned(where, row[1], facts))
    return out


def store(connection, statements: list[dict], now: datetime | None = None) -> int:
    """Insert the statements whose id is not in the outbox yet; the number inserted."""
    if not statements:
        return 0
    now = now or utcnow()
    known = set(connection.scalars(sa.select(XapiStatement.statement_id).where(
        XapiStatement.statement_id.in_([s["id"] for s in statements]))))
    fresh = {s["id"]: s for s in statements if s["id"] not in known}
    if not fresh:
        return 0
    rows = [{"statement_id": s["id"], "user_id": int(s["actor"]["account"]["name"]),
             "verb": s["verb"]["display"]["en-US"], "statement": s,
             "occurred_at": datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00")),
             "created_at": now, "status": "pending", "attempts": 0, "next_attempt_at": now,
             "last_error": ""} for s in fresh.values()]
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    query = (dialect.insert(XapiStatement.__table__)
             .on_conflict_do_nothing(index_elements=["statement_id"]))
    connection.execute(query, rows)
    return len(rows)


# --------------------------------------------------------------------------- session events

def _completed_now(progress: ModuleProgress) -> bool:
    history = sa.inspect(progress).attrs.completed_at.history
    return bool(history.added) and history.added[0] is not None and \
        history.added[0] not in history.deleted


def _submitted_now(attempt: Attempt) -> bool:
    history = sa.inspect(attempt).attrs.status.history
    return bool(history.added) and history.added[0] == SUBMITTED and SUBMITTED not in \
        history.deleted


@event.listens_for(Session, "before_flush")
def _note(session, _flush_context, _instances) -> None:
    session.info.pop(NOTED, None)
    if not recording_enabled():
        return
    noted = []
    for obj in session.new:
        if isinstance(obj, ModuleProgress):
            noted.append(("opened", obj))
            if obj.completed_at is not None:
                noted.append(("completed", obj))
        elif isinstance(obj, Attempt):
            noted.append(("attempted", obj))
            if obj.status == SUBMITTED:
                noted.append(("result", obj))
        elif isinstance(obj, Certificate):
            noted.append(("certificate", obj))
    for obj in session.dirty:
        if isinstance(obj, ModuleProgress) and _completed_now(obj):
            noted.append(("completed", obj))
        elif isinstance(obj, Attempt) and _submitted_now(obj):
            noted.append(("result", obj))
    if noted:
        session.info[NOTED] = noted


@event.listens_for(Session, "after_flush_postexec")
def _record(session, _flush_context) -> None:
    noted = session.info.pop(NOTED, None)
    if not noted:
        return
    opened = [(o.user_id, o.module_id, o.first_opened_at) for k, o in noted if k == "opened"]
    completed = [(o.user_id, o.module_id, o.completed_at) for k, o in noted if k == "completed"]
    connection = session.connection()
    store(connection, build(
        connection, site(), opened=opened, completed=completed,
        attempted=[o.id for k, o in noted if k == "attempted"],
        results=[o.id for k, o in noted if k == "result"],
        certificates=[o.id for k, o in noted if k == "certificate"]))


# --------------------------------------------------------------------------- history

def backfill(connection, since: datetime, where: xs.Site | None = None) -> tuple[int, int]:
    """Statements of every event since `since` (UTC): (statements built, newly stored)."""
    where = where or site()
    opened = connection.execute(sa.select(ModuleProgress.user_id, ModuleProgress.module_id,
                                          ModuleProgress.first_opened_at)
                                .where(ModuleProgress.first_opened_at >= since)).all()
    completed = connection.execute(sa.select(ModuleProgress.user_id, ModuleProgress.module_id,
                                             ModuleProgress.completed_at)
                                   .where(ModuleProgress.completed_at >= since)).all()
    attempted = connection.scalars(sa.select(Attempt.id).where(Attempt.started_at >= since)).all()
    results = connection.scalars(sa.select(Attempt.id).where(
        Attempt.submitted_at >= since, Attempt.status == SUBMITTED)).all()
    certificates = connection.scalars(sa.select(Certificate.id)
                                      .where(Certificate.issued_at >= since)).all()
    built = build(connection, where, opened=opened, completed=completed, attempted=attempted,
                  results=results, certificates=certificates)
    return len(built), store(connection, built)
