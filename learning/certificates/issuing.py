"""Certificates: when a course is complete, issuing one (once), its status, revoking it.

When is a certificate issued? When the officer's course is complete (every live module has a
completion that is not marked "updated since completion"; a module with a quiz completes only when
the quiz is passed) and

  * the officer has no *open* certificate for the course: one that is not revoked and whose
    refresher has not been opened (see learning.certificates.refresher). So redoing a module that a trainer
    updated substantively does not issue a second certificate while the first is still running;
  * no certificate of the officer for the course already covers this completion (its completion
    time is not earlier). So calling this twice, or after a revocation, issues nothing new.

At most one open certificate exists per officer and course. A certificate is valid until its
`valid_until` date (course validity in months after the completion date; none when the course has
no validity), then expired; revoked trumps both. Functions add and flush; the caller commits.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from .signing import CertificatePayload
from learning.clock import add_months, local_date
from learning.extensions import db
from learning.learner.completions import record_completion_if_complete
from learning.models import Certificate, Course, Module, ModuleProgress, User
from learning.models.completions import CourseCompletion as CompletionRecord

VALID, EXPIRED, REVOKED = "valid", "expired", "revoked"
NUMBER_PREFIX = "PIMPASA"
# Crockford's base32: digits and letters without I, L, O and U, which are easy to misread.
NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_GROUPS = (5, 5)  # 10 random symbols = 50 bits: guessing one number is hopeless


class CertificateError(ValueError):
    """A rule about certificates was broken; the message is shown to the user (translated)."""


# --------------------------------------------------------------------------- numbers and dates

def new_number() -> str:
    """A fresh random number such as PIMPASA-7QX2M-K9D4B (never derived from a row id)."""
    groups = ["".join(secrets.choice(NUMBER_ALPHABET) for _ in range(n)) for n in NUMBER_GROUPS]
    return "-".join([NUMBER_PREFIX, *groups])


def normalise_number(text: str | None) -> str | None:
    """The canonical form of a number as typed (any case, spaces, O for 0, I or L for 1), or None
    when it cannot be a certificate number."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if cleaned.startswith(NUMBER_PREFIX):
        cleaned = cleaned[len(NUMBER_PREFIX):]
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != sum(NUMBER_GROUPS) or any(ch not in NUMBER_ALPHABET for ch in cleaned):
        return None
    first = NUMBER_GROUPS[0]
    return f"{NUMBER_PREFIX}-{cleaned[:first]}-{cleaned[first:]}"




# --------------------------------------------------------------------------- status

def certificate_status(certificate: Certificate, today: date) -> str:
    """valid, expired (the day after valid_until) or revoked."""
    if certificate.revoked_at is not None:
        return REVOKED
    if certificate.valid_until is not None and today > certificate.valid_until:
        return EXPIRED
    return VALID


def is_open(certificate: Certificate) -> bool:
    """Not revoked and no refresher opened yet: the officer's running certificate."""
    return certificate.revoked_at is None and certificate.refresher_opened_at is None


def in_refresher_window(certificate: Certificate, today: date, notice_days: int) -> bool:
    """Valid, and lapsing within `notice_days`: the dashboard says "Perlu penyegaran"."""
    return (certificate_status(certificate, today) == VALID and certificate.valid_until is not None
            and (certificate.valid_until - today).days <= notice_days)


# --------------------------------------------------------------------------- completion

@dataclass(frozen=True)
class CourseCompletion:
    course: Course
    total: int
    done: int
    completed_at: datetime | None  # when the last module was completed, once all are

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total



def course_completion(user: User, course: Course) -> CourseCompletion:
    """How many live modules of `course` the officer has done, from one aggregate query."""
    done = ModuleProgress.is_done
    total, done_count, last = db.session.execute(
        sa.select(sa.func.count(Module.id),
                  sa.func.sum(sa.case((done, 1), else_=0)),
                  sa.func.max(sa.case((done, ModuleProgress.completed_at))))
        .outerjoin(ModuleProgress, sa.and_(ModuleProgress.module_id == Module.id,
                                           ModuleProgress.user_id == user.id))
        .where(Module.course_id == course.id, Module.is_live)
    ).one()
    done_count = int(done_count or 0)
    complete = bool(total) and done_count >= total
    return CourseCompletion(course=course, total=int(total or 0), done=done_count,
                            completed_at=last if complete else None)


# --------------------------------------------------------------------------- issuing

def _certificates(user: User, course: Course) -> list[Certificate]:
    return list(db.session.scalars(sa.select(Certificate).where(
        Certificate.user_id == user.id, Certificate.course_id == course.id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def _one_line(text: str | None) -> str:
    """Printed and signed text: one line, single spaces (the payload is line-based)."""
    return " ".join((text or "").split())


def _unused_number() -> str:
    while True:
        number = new_number()
        if db.session.scalar(sa.select(Certificate.id).where(Certificate.number == number)) is None:
            return number


def issue_certificate_if_complete(user: User, course: Course, now: datetime,
                                  tz: str | None = None) -> Certificate | None:
    """Issue the officer's certificate when the course is complete and no certificate covers this
    completion (see the module docstring). Idempotent; returns the new certificate or None."""
    if not user.is_officer:
        return None
    completion = course_completion(user, course)
    if not completion.complete:
        return None
    # Serialise issuing for one officer (PostgreSQL); SQLite writers are serialised already.
    db.session.execute(sa.select(User.id).where(User.id == user.id).with_for_update())
    existing = _certificates(user, course)
    if any(is_open(c) or c.completed_at >= completion.completed_at for c in existing):
        return None
    completed_on = local_date(completion.completed_at, tz)
    certificate = Certificate(
        number=_unused_number(), user_id=user.id, course_id=course.id,
        holder_name=_one_line(user.full_name), holder_nip=user.nip,
        office_name=_one_line(user.office.name) if user.office else "",
        course_title=_one_line(course.title),
        completed_at=completion.completed_at, completed_on=completed_on, issued_at=now,
        valid_until=add_months(completed_on, course.validity_months)
        if course.validity_months else None, jp=course.jp or 0,
        completion_id=db.session.scalar(sa.select(CompletionRecord.id).where(
            CompletionRecord.user_id == user.id, CompletionRecord.course_id == course.id,
            CompletionRecord.closed_at.is_(None)).order_by(CompletionRecord.id.desc()).limit(1)),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def after_module_completed(user: User, module: Module, now: datetime) -> Certificate | None:
    """Called by learning.learner.progress.complete_module: the last module may complete the
    course, which records the completion (its version) and issues the certificate on it."""
    record_completion_if_complete(user, module.course, now)
    return issue_certificate_if_complete(user, module.course, now)


def issue_missing_certificates(now: datetime, tz: str | None = None) -> list[Certificate]:
    """Issue every certificate that is due but missing (for completions made before certificates
    existed, or lost to an error). One aggregate query finds the complete (officer, course) pairs
    that have no open certificate; each is then checked by issue_certificate_if_complete."""
    done = ModuleProgress.is_done
    live_counts = (sa.select(Module.course_id, sa.func.count(Module.id).label("total"))
                   .where(Module.is_live).group_by(Module.course_id).subquery())
    done_counts = (sa.select(ModuleProgress.user_id, Module.course_id,
                             sa.func.count(ModuleProgress.id).label("done"))
                   .join(Module, Module.id == ModuleProgress.module_id)
                   .where(done, Module.is_live)
                   .group_by(ModuleProgress.user_id, Module.course_id).subquery())
    open_certificate = sa.exists().where(
        Certificate.user_id == done_counts.c.user_id,
        Certificate.course_id == done_counts.c.course_id,
        Certificate.revoked_at.is_(None), Certificate.refresher_opened_at.is_(None))
    pairs = db.session.execute(
        sa.select(done_counts.c.user_id, done_counts.c.course_id)
        .join(live_counts, live_counts.c.course_id == done_counts.c.course_id)
        .where(done_counts.c.done >= live_counts.c.total, ~open_certificate)
    ).all()
    issued = []
    for user_id, course_id in pairs:
        user, course = db.session.get(User, user_id), db.session.get(Course, course_id)
        if user is not None and user.active and course is not None:
            certificate = issue_certificate_if_complete(user, course, now, tz)
            if certificate is not None:
                issued.append(certificate)
    return issued


# --------------------------------------------------------------------------- revoking, reading

def revoke(certificate: Certificate, by: User, reason: str, now: datetime) -> Certificate:
    """Revoke with a reason; who and when are kept on the certificate. Revoking twice is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("reason required")
    if certificate.revoked_at is not None:
        raise CertificateError("already revoked")
    certificate.revoked_at = now
    certificate.revoke_reason = reason[:1000]
    certificate.revoked_by_id = by.id
    db.session.flush()
    return certificate


def find_certificate(number: str | None) -> Certificate | None:
    canonical = normalise_number(number)
    if canonical is None:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.number == canonical))


@dataclass(frozen=True)
class HeldCertificate:
    """An officer's newest certificate for one course, with its status on a given day."""

    certificate: Certificate
    status: str
    needs_refresh: bool


def held_certificate(user: User, course: Course, today: date,
                     notice_days: int) -> HeldCertificate | None:
    """The officer's newest certificate for `course` and its status, or None."""
    certificate = next((c for c in certificates_of(user) if c.course_id == course.id), None)
    if certificate is None:
        return None
    return HeldCertificate(certificate, certificate_status(certificate, today),
                           in_refresher_window(certificate, today, notice_days))


def certificates_of(user: User) -> list[Certificate]:
    """The officer's certificates, newest first (every cycle, revoked ones included)."""
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.user_id == user.id)
                                   .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def certificate_payload(certificate: Certificate) -> CertificatePayload:
    """The signed fields: what a verifier may see, nothing more."""
    return CertificatePayload(number=certificate.number, name=certificate.holder_name,
                              course=certificate.course_title,
                              completed_on=certificate.completed_on,
                              valid_until=certificate.valid_until)


@dataclass(frozen=True)
class PublicCertificate:
    """What the public verification page shows: no NIP, no office, no scores."""

    number: str
    name: str
    course: str
    completed_on: date
    valid_until: date | None
    status: str
    revoked_on: date | None


def public_view(certificate: Certificate, today: date, tz: str | None = None) -> PublicCertificate:
    return PublicCertificate(
        number=certificate.number, name=certificate.holder_name, course=certificate.course_title,
        completed_on=certificate.completed_on, valid_until=certificate.valid_until,
        status=certificate_status(certificate, today),
        revoked_on=local_date(certificate.revoked_at, tz) if certificate.revoked_at else None)


@dataclass(frozen=True)
class CertificatePage:
    certificates: list[Certificate]
    page: int
    pages: int
    total: int


def search_certificates(query: str = "", page: int = 1, per_page: int = 50) -> CertificatePage:
    """For administrators: by number, name, NIP or course title; newest first, page by page."""
    select = sa.select(Certificate)
    query = (query or "").strip()
    if query:
        number = normalise_number(query)
        like = f"%{query.lower()}%"
        conditions = [sa.func.lower(Certificate.holder_name).like(like),
                      sa.func.lower(Certificate.course_title).like(like),
                      Certificate.holder_nip == query]
        if number:
            conditions.append(Certificate.number == number)
        select = select.where(sa.or_(*conditions))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(select.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = list(db.session.scalars(select.order_by(Certificate.issued_at.desc(),
                                                   Certificate.id.desc())
                                   .offset((page - 1) * per_page).limit(per_page)))
    return CertificatePage(certificates=rows, page=page, pages=pages, total=total)
