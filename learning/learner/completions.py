"""Course completions, kept as raw records (learning.models.completions.CourseCompletion).

A completion is recorded when an officer has done every live module of a course; it notes the
published revision of each of those modules, the version they completed. Adding a module or
publishing a substantive change later does not take it away: the officer keeps the course as
finished, with new material to read, and reports count them as "completed an earlier version,
now has new material". Finishing the new material records a newer completion (the older one is
closed as "renewed"); a refresher cycle or a recertification required at publish closes it.
Functions add and flush; the caller commits.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Course, CourseCompletion, Module, ModuleProgress, Role, User

RENEWED, REFRESHER, RECERTIFICATION = "renewed", "refresher", "recertification"


def course_version(course_id: int) -> dict[str, int]:
    """{module id: published revision id} of the course's live modules."""
    return {str(module_id): revision_id for module_id, revision_id in db.session.execute(
        sa.select(Module.id, Module.published_revision_id)
        .where(Module.course_id == course_id, Module.is_live))}


def open_completion(user_id: int, course_id: int) -> CourseCompletion | None:
    return db.session.scalar(sa.select(CourseCompletion).where(
        CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id,
        CourseCompletion.closed_at.is_(None)).order_by(CourseCompletion.id.desc()).limit(1))


def _done_now(user_id: int, course_id: int) -> tuple[int, int, datetime | None]:
    """(live modules, done, last completion of a done live module)."""
    done = ModuleProgress.is_done
    total, count, last = db.session.execute(
        sa.select(sa.func.count(Module.id), sa.func.sum(sa.case((done, 1), else_=0)),
                  sa.func.max(sa.case((done, ModuleProgress.completed_at))))
        .outerjoin(ModuleProgress, sa.and_(ModuleProgress.module_id == Module.id,
                                           ModuleProgress.user_id == user_id))
        .where(Module.course_id == course_id, Module.is_live)).one()
    return int(total or 0), int(count or 0), last


def record_completion_if_complete(user: User, course: Course,
                                  now: datetime) -> CourseCompletion | None:
    """Record the officer's completion of `course` when every live module is done and no open
    completion covers this version yet. Returns the open completion (new or existing)."""
    if not user.is_officer:
        return None
    total, done, last = _done_now(user.id, course.id)
    current = open_completion(user.id, course.id)
    if not total or done < total:
        return current
    version = course_version(course.id)
    if current is not None and (current.revisions == version or current.completed_at >= last):
        return current
    if current is not None:
        current.closed_at, current.closed_reason = now, RENEWED
    completion = CourseCompletion(user_id=user.id, course_id=course.id, completed_at=last,
                                  revisions=version, recorded_at=now)
    db.session.add(completion)
    db.session.flush()
    return completion


def close_completions(user_id: int, course_id: int, reason: str, now: datetime) -> int:
    """Close the officer's open completion of the course (a refresher or a recertification)."""
    rows = db.session.scalars(sa.select(CourseCompletion).where(
        CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id,
        CourseCompletion.closed_at.is_(None))).all()
    for row in rows:
        row.closed_at, row.closed_reason = now, reason
    db.session.flush()
    return len(rows)


def record_missing_completions(now: datetime) -> int:
    """Record the completion of every (officer, course) that has every live module done and no
    open completion (data made by bulk statements: the demo generator, an old backup). One
    aggregate query, then one insert. Returns how many were recorded."""
    done = ModuleProgress.is_done
    totals = (sa.select(Module.course_id, sa.func.count(Module.id).label("total"))
              .where(Module.is_live).group_by(Module.course_id).subquery())
    done_counts = (sa.select(ModuleProgress.user_id, Module.course_id,
                             sa.func.count(ModuleProgress.id).label("done"),
                             sa.func.max(ModuleProgress.completed_at).label("last"))
                   .join(Module, Module.id == ModuleProgress.module_id)
                   .join(User, User.id == ModuleProgress.user_id)
                   .where(done, Module.is_live, User.role == Role.OFFICER.value)
                   .group_by(ModuleProgress.user_id, Module.course_id).subquery())
    has_open = sa.exists().where(CourseCompletion.user_id == done_counts.c.user_id,
                                 CourseCompletion.course_id == done_counts.c.course_id,
                                 CourseCompletion.closed_at.is_(None))
    rows = db.session.execute(
        sa.select(done_counts.c.user_id, done_counts.c.course_id, done_counts.c.last)
        .join(totals, totals.c.course_id == done_counts.c.course_id)
        .where(done_counts.c.done >= totals.c.total, ~has_open)).all()
    versions: dict[int, dict] = {}
    for user_id, course_id, last in rows:
        if course_id not in versions:
            versions[course_id] = course_version(course_id)
        db.session.add(CourseCompletion(user_id=user_id, course_id=course_id, completed_at=last,
                                        revisions=versions[course_id], recorded_at=now))
    db.session.flush()
    return len(rows)
