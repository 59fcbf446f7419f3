"""What a publish will do to the figures, said in numbers before it happens.

Before a trainer publishes a module that officers have not seen yet (a new module in a course),
publishes a substantive change, or retires a module, the studio shows how many officers will see
new material, how many completions stay counted, how many officers finish by it, and how many
certificates will need renewal if the trainer asks for recertification; the trainer confirms, and
the audit log keeps the numbers. Read from the kept standings (learning.reports.standing), so it
costs a few aggregate queries whatever the number of officers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from learning import audit
from learning.extensions import db
from learning.models import Certificate, Module, ModuleProgress, User
from learning.models.reporting import CourseStanding

PUBLISH, RETIRE = "publish", "retire"


@dataclass(frozen=True)
class PublishEffect:
    action: str
    new_module: bool  # officers have not seen this module yet: it adds material to the course
    substantive: bool
    completed_course: int  # officers whose completion of the course is counted now
    new_material: int  # of those, how many will see new material after this
    handed_back: int  # officers who finished this module and get it back to read again
    finishing: int  # officers who finish the course by this (a retired module they lacked)
    certificates: int  # open certificates of the course (need renewal if recertification)

    @property
    def moves_figures(self) -> bool:
        return bool(self.new_material or self.handed_back or self.finishing)

    def summary(self, recertify: bool) -> str:
        """One line for the audit log (Bahasa Indonesia, like the rest of the log)."""
        parts = [f"{self.new_material} petugas melihat materi baru",
                 f"{self.completed_course} penyelesaian tetap dihitung"]
        if self.handed_back:
            parts.append(f"{self.handed_back} petugas membaca ulang modul ini")
        if self.finishing:
            parts.append(f"{self.finishing} petugas menjadi selesai")
        parts.append(f"{self.certificates if recertify else 0} sertifikat perlu diperbarui")
        return "; ".join(parts)


def _live_total(course_id: int, exclude: int | None = None) -> int:
    query = sa.select(sa.func.count(Module.id)).where(Module.course_id == course_id, Module.is_live)
    if exclude is not None:
        query = query.where(Module.id != exclude)
    return db.session.scalar(query) or 0


def _complete_condition(total: int):
    return sa.or_(CourseStanding.earned_at.is_not(None),
                  sa.and_(sa.literal(total) > 0, CourseStanding.done >= total))


def publish_effect(module: Module, *, substantive: bool = False,
                   action: str = PUBLISH) -> PublishEffect:
    course_id = module.course_id
    total = _live_total(course_id)
    complete = _complete_condition(total)
    completed_course = db.session.scalar(
        sa.select(sa.func.count()).select_from(CourseStanding)
        .where(CourseStanding.course_id == course_id, complete)) or 0
    certificates = db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.course_id == course_id, Certificate.revoked_at.is_(None),
        Certificate.refresher_opened_at.is_(None))) or 0
    new_module = action == PUBLISH and not module.is_live
    readers = sa.select(ModuleProgress.user_id).where(ModuleProgress.module_id == module.id,
                                                      ModuleProgress.is_done)
    handed_back = new_material = finishing = 0
    if new_module:
        new_material = completed_course
    elif action == PUBLISH and substantive:
        handed_back = db.session.scalar(
            sa.select(sa.func.count()).select_from(readers.subquery())) or 0
        new_material = db.session.scalar(
            sa.select(sa.func.count()).select_from(CourseStanding)
            .where(CourseStanding.course_id == course_id, complete,
                   CourseStanding.user_id.in_(readers.scalar_subquery()))) or 0
    elif action == RETIRE and module.is_live:
        remaining = _live_total(course_id, exclude=module.id)
        finishing = db.session.scalar(
            sa.select(sa.func.count()).select_from(CourseStanding).where(
                CourseStanding.course_id == course_id, CourseStanding.earned_at.is_(None),
                CourseStanding.done < total, CourseStanding.done >= remaining,
                sa.literal(remaining) > 0,
                CourseStanding.user_id.not_in(readers.scalar_subquery()))) or 0
    return PublishEffect(action, new_module, substantive, completed_course, new_material,
                         handed_back, finishing, certificates)


def require_recertification(module: Module, actor: User | None, now: datetime,
                            due: date) -> int:
    """The change requires recertification: every open certificate of the course is sent to a
    refresher (the course is to be completed again by `due`; the completion is closed).
    Returns how many certificates."""
    from learning.certificates.refresher import open_refresher
    from learning.learner.completions import RECERTIFICATION, close_completions

    certificates = db.session.scalars(sa.select(Certificate).where(
        Certificate.course_id == module.course_id, Certificate.revoked_at.is_(None),
        Certificate.refresher_opened_at.is_(None))).all()
    opened = 0
    for certificate in certificates:
        close_completions(certificate.user_id, certificate.course_id, RECERTIFICATION, now)
        opened += open_refresher(certificate, now, due, by=actor) is not None
    audit.record(actor, audit.RECERTIFY, "course", module.course_id, module.course.slug,
                 f"{opened} sertifikat perlu diperbarui (tenggat {due.isoformat()}), "
                 f"karena modul {module.slug}")
    return opened
