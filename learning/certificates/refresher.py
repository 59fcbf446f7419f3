"""Refresher cycles: updated modules, certificates about to lapse, and courses assigned again.

* A substantive new revision of a module (published from the studio) sends that one module back
  to every officer who completed it: `mark_module_updated`. Their certificate stays as it is.
* From `notice_days` (default 60) before a certificate's `valid_until`, the dashboard says
  "Perlu penyegaran"; the officer may start the refresher early.
* When the certificate lapses (or an administrator revokes it and asks for the course to be
  retaken), the refresher is *opened*: every module of the course the officer completed is marked
  updated_since_completion (so the course is to-do again while the history stays) and a user-scope
  Assignment with a due date is created. Completing the course again issues a new certificate.

Opening is claimed with one conditional UPDATE on the certificate (refresher_opened_at IS NULL),
so it happens once however many requests or jobs race. `apply_lapses` runs from the daily
`flask reminders send` and, for one officer, lazily before the dashboard is built.
Functions add and flush; the caller commits.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from .issuing import (EXPIRED,
    REVOKED,
    VALID,
    CertificateError,
    certificate_status,
    certificates_of,
    in_refresher_window,
    is_open)
from learning.learner.completions import REFRESHER, close_completions
from learning.reports import standing
from learning.extensions import db
from learning.models import (Assignment,
    Certificate,
    Course,
    Module,
    ModuleProgress,
    ModuleRevision,
    utcnow,
    User)

DEFAULT_NOTICE_DAYS = 60
DEFAULT_GRACE_DAYS = 30  # due date of a course assigned again after a lapse
NEW_CERTIFICATE_DAYS = 14  # how long the dashboard congratulates on a new certificate


def mark_module_updated(module: Module, revision: ModuleRevision | None = None) -> int:
    """A substantive change to `module`: every officer who completed it gets it back as updated
    (only this module, not the whole course). Returns how many officers were affected."""
    result = db.session.execute(
        sa.update(ModuleProgress)
        .where(ModuleProgress.module_id == module.id, ModuleProgress.is_done)
        .values(updated_since_completion=True, cycle_started_at=utcnow())
        .execution_options(synchronize_session="fetch"))
    db.session.flush()
    standing.refresh(standing.readers_of(module.id), module.course_id)
    return result.rowcount or 0


def _reopen_course(certificate: Certificate, due: date, by: User | None,
                   now: datetime) -> Assignment:
    module_ids = sa.select(Module.id).where(Module.course_id == certificate.course_id)
    db.session.execute(
        sa.update(ModuleProgress)
        .where(ModuleProgress.user_id == certificate.user_id,
               ModuleProgress.module_id.in_(module_ids),
               ModuleProgress.completed_at.is_not(None))
        .values(updated_since_completion=True, cycle_started_at=now)
        .execution_options(synchronize_session="fetch"))
    close_completions(certificate.user_id, certificate.course_id, REFRESHER, now)
    standing.refresh(standing.officers(certificate.user_id), certificate.course_id)
    assignment = Assignment(course_id=certificate.course_id, scope="user",
                            user_id=certificate.user_id, due_date=due,
                            created_by_id=by.id if by else None, created_at=now)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def open_refresher(certificate: Certificate, now: datetime, due: date,
                   by: User | None = None) -> Assignment | None:
    """Open the refresher for this certificate once: the course becomes to-do again, assigned to
    the officer with `due`. Returns the new assignment, or None when it was already opened."""
    claimed = db.session.execute(
        sa.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.refresher_opened_at.is_(None))
        .values(refresher_opened_at=now)
        .execution_options(synchronize_session="fetch")).rowcount
    if not claimed:
        return None
    return _reopen_course(certificate, due, by, now)


def start_refresher_early(user: User, course: Course, now: datetime, today: date,
                          notice_days: int = DEFAULT_NOTICE_DAYS) -> Assignment:
    """The officer chose to refresh now, within the notice window: due when the certificate lapses.
    CertificateError when there is no open certificate in its window."""
    current = next((c for c in certificates_of(user)
                    if c.course_id == course.id and is_open(c)), None)
    if current is None or not in_refresher_window(current, today, notice_days):
        raise CertificateError("no refresher due")
    assignment = open_refresher(current, now, current.valid_until)
    if assignment is None:
        raise CertificateError("refresher already open")
    return assignment


def _lapsed(today: date):
    return sa.and_(Certificate.revoked_at.is_(None), Certificate.refresher_opened_at.is_(None),
                   Certificate.valid_until.is_not(None), Certificate.valid_until < today)


def has_lapsed_certificates(user_id: int, today: date) -> bool:
    """One indexed read: does this officer have a lapsed certificate whose course is not yet
    assigned again? (Lets the dashboard skip the write almost always.)"""
    return db.session.scalar(sa.select(Certificate.id).where(
        Certificate.user_id == user_id, _lapsed(today)).limit(1)) is not None


def apply_lapses(now: datetime, today: date, *, user_id: int | None = None,
                 grace_days: int = DEFAULT_GRACE_DAYS) -> list[Certificate]:
    """Open the refresher of every lapsed certificate (of one officer when `user_id` is given).

    The first statement is the claiming UPDATE ... RETURNING, so on SQLite a read-only request
    that calls this takes the write lock at once rather than upgrading a read (see database.py).
    """
    claim = (sa.update(Certificate).where(_lapsed(today))
             .values(refresher_opened_at=now).returning(Certificate.id))
    if user_id is not None:
        claim = claim.where(Certificate.user_id == user_id)
    ids = list(db.session.execute(
        claim, execution_options={"synchronize_session": False}).scalars())
    if not ids:
        return []
    certificates = list(db.session.scalars(
        sa.select(Certificate).where(Certificate.id.in_(ids))
        .execution_options(populate_existing=True)))
    for certificate in certificates:
        _reopen_course(certificate, today + timedelta(days=grace_days), None, now)
    return certificates


# --------------------------------------------------------------------------- dashboard notices

NEEDS_REFRESH, REFRESHING, LAPSED, UPDATED, NEW = (
    "needs_refresh", "refreshing", "expired", "updated", "new_certificate")


@dataclass(frozen=True)
class Notice:
    """One line on the officer's dashboard. `kind` is one of the constants above."""

    kind: str
    course: Course
    certificate: Certificate | None = None
    modules: list[Module] = field(default_factory=list)
    due: date | None = None


def _updated_modules(user: User) -> dict[int, list[Module]]:
    modules = db.session.scalars(
        sa.select(Module)
        .join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .join(Course, Course.id == Module.course_id)
        .where(ModuleProgress.user_id == user.id, ModuleProgress.completed_at.is_not(None),
               ModuleProgress.updated_since_completion.is_(True),
               Module.is_live,
               Course.published.is_(True))
        .order_by(Module.course_id, Module.position))
    grouped: dict[int, list[Module]] = defaultdict(list)
    for module in modules:
        grouped[module.course_id].append(module)
    return grouped


def learner_notices(user: User, now: datetime, today: date,
                    notice_days: int = DEFAULT_NOTICE_DAYS,
                    new_days: int = NEW_CERTIFICATE_DAYS) -> list[Notice]:
    """What the dashboard says about certificates and refreshers, most urgent first."""
    latest: dict[int, Certificate] = {}
    for certificate in certificates_of(user):  # newest first
        latest.setdefault(certificate.course_id, certificate)
    notices: list[Notice] = []
    reopened: set[int] = set()
    for course_id, certificate in latest.items():
        course = certificate.course
        if not course.published:
            continue
        status = certificate_status(certificate, today)
        if certificate.refresher_opened_at is not None:
            reopened.add(course_id)
        if status == REVOKED:
            continue
        if status == EXPIRED:
            notices.append(Notice(LAPSED, course, certificate))
        elif certificate.refresher_opened_at is not None:
            notices.append(Notice(REFRESHING, course, certificate, due=certificate.valid_until))
        elif in_refresher_window(certificate, today, notice_days):
            notices.append(Notice(NEEDS_REFRESH, course, certificate, due=certificate.valid_until))
        elif status == VALID and certificate.issued_at >= now - timedelta(days=new_days):
            notices.append(Notice(NEW, course, certificate))
    for course_id, modules in _updated_modules(user).items():
        if course_id not in reopened:
            notices.append(Notice(UPDATED, modules[0].course, modules=modules))
    order = [LAPSED, NEEDS_REFRESH, REFRESHING, UPDATED, NEW]
    return sorted(notices, key=lambda n: (order.index(n.kind), n.course.position, n.course.title))
