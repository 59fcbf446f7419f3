"""Second chances: a trainer or administrator grants an officer extra attempts or extra minutes
on one quiz, with a reason. Each grant is a row that is only ever added, and an audit event in the
same transaction. These functions add and flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from learning import audit
from learning.extensions import db
from learning.models import Quiz, QuizGrant, Role, User

MAX_EXTRA_ATTEMPTS = 5
MAX_EXTRA_MINUTES = 240
MAX_REASON = 500


class GrantRefused(ValueError):
    """The grant breaks a rule; `code` names which (the view words it)."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


@dataclass(frozen=True)
class Extra:
    attempts: int = 0
    minutes: int = 0


def extra_for(user: User, quiz: Quiz) -> Extra:
    """Everything granted to `user` on `quiz`, added up (one query)."""
    attempts, minutes = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(QuizGrant.extra_attempts), 0),
                  sa.func.coalesce(sa.func.sum(QuizGrant.extra_minutes), 0))
        .where(QuizGrant.user_id == user.id, QuizGrant.quiz_id == quiz.id)).one()
    return Extra(int(attempts), int(minutes))


def grant(actor: User, officer: User, quiz: Quiz, *, extra_attempts: int, extra_minutes: int,
          reason: str, now: datetime) -> QuizGrant:
    """Record one grant and its audit event. Raises GrantRefused on a broken rule."""
    if actor is None or not actor.has_role(Role.TRAINER, Role.ADMIN):
        raise GrantRefused("not_staff")
    if officer is None or not officer.is_officer:
        raise GrantRefused("not_officer")
    reason = (reason or "").strip()
    if not reason:
        raise GrantRefused("no_reason")
    if len(reason) > MAX_REASON:
        raise GrantRefused("reason_too_long")
    if not (0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS and 0 <= extra_minutes <= MAX_EXTRA_MINUTES):
        raise GrantRefused("out_of_range")
    if extra_attempts == 0 and extra_minutes == 0:
        raise GrantRefused("nothing")
    row = QuizGrant(user_id=officer.id, quiz_id=quiz.id, extra_attempts=extra_attempts,
                    extra_minutes=extra_minutes, reason=reason, granted_by_id=actor.id,
                    granted_at=now)
    db.session.add(row)
    audit.record(actor, audit.GRANT, "quiz", quiz.id, quiz.title,
                 f"{officer.username}: +{extra_attempts} attempts, +{extra_minutes} minutes; "
                 f"reason: {reason}")
    db.session.flush()
    return row


@dataclass(frozen=True)
class GrantFigures:
    grants: int
    officers: int
    attempts: int
    minutes: int


def figures() -> GrantFigures:
    """Totals for the report line: grants, officers helped, attempts and minutes granted."""
    grants, officers, attempts, minutes = db.session.execute(sa.select(
        sa.func.count(QuizGrant.id), sa.func.count(sa.distinct(QuizGrant.user_id)),
        sa.func.coalesce(sa.func.sum(QuizGrant.extra_attempts), 0),
        sa.func.coalesce(sa.func.sum(QuizGrant.extra_minutes), 0))).one()
    return GrantFigures(int(grants), int(officers), int(attempts), int(minutes))


def recent(limit: int = 50) -> list[QuizGrant]:
    return list(db.session.scalars(
        sa.select(QuizGrant).order_by(QuizGrant.granted_at.desc(), QuizGrant.id.desc())
        .limit(limit)))


def find_officer(text: str) -> User | None:
    """An active officer by username (any case) or NIP."""
    text = (text or "").strip()
    if not text:
        return None
    return db.session.scalar(sa.select(User).where(
        User.role == Role.OFFICER.value, User.active.is_(True),
        sa.or_(sa.func.lower(User.username) == text.lower(), User.nip == text)))
