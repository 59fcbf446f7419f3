"""Progress rules: opening, reading time, completion, and how far an officer is in a course.

Time is counted honestly on the server: only the gaps between an officer's own events (open,
heartbeat, complete) count, and a gap longer than the idle cap counts as nothing, so a tab left
open overnight adds no hours.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Attempt, Course, Module, ModuleProgress, ProgressEvent, Quiz, User

NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"


def _progress_row(user: User, module: Module, now: datetime) -> ModuleProgress:
    row = db.session.scalar(sa.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id))
    if row is None:
        row = ModuleProgress(user_id=user.id, module_id=module.id, first_opened_at=now,
                             last_opened_at=now, last_active_at=now, seconds_spent=0,
                             scroll_position=0.0)
        db.session.add(row)
    return row


def _count_active_time(row: ModuleProgress, now: datetime, idle_cap: int) -> None:
    gap = (now - row.last_active_at).total_seconds() if row.last_active_at else 0
    if 0 < gap <= idle_cap:
        row.seconds_spent = (row.seconds_spent or 0) + int(gap)
    if row.last_active_at is None or now > row.last_active_at:
        row.last_active_at = now


def find_progress(user: User, module: Module) -> ModuleProgress | None:
    """This officer's row for the module, if any, without recording anything."""
    return db.session.scalar(sa.select(ModuleProgress).where(
        ModuleProgress.user_id == user.id, ModuleProgress.module_id == module.id))


def record_open(user: User, module: Module, now: datetime) -> ModuleProgress:
    """The officer opened the module page. Starts the clock; does not count time by itself."""
    row = _progress_row(user, module, now)
    if row.id is not None:
        row.last_opened_at = max(row.last_opened_at, now)
        if (now - row.last_active_at).total_seconds() > 0:
            row.last_active_at = now
    db.session.flush()
    return row


def record_heartbeat(user: User, module: Module, now: datetime, idle_cap: int,
                     scroll: float | None = None) -> ModuleProgress:
    """The page is still being read: count the gap since the last event (within the cap)."""
    row = _progress_row(user, module, now)
    if row.id is not None:
        _count_active_time(row, now, idle_cap)
    if scroll is not None:
        row.scroll_position = min(max(float(scroll), 0.0), 1.0)
    db.session.flush()
    return row


def module_has_quiz(module: Module) -> bool:
    return db.session.scalar(sa.select(Quiz.id).where(
        Quiz.module_id == module.id, Quiz.published_revision_id.is_not(None))) is not None


class CompletionRefused(Exception):
    """A module with a quiz is completed by passing the quiz, not by a button."""


def mark_done(user: User, module: Module, now: datetime, idle_cap: int) -> ModuleProgress:
    """'Tandai selesai' for a module without a quiz. Idempotent: the first completion time stays."""
    if module_has_quiz(module):
        raise CompletionRefused(module.slug)
    return complete_module(user, module, now, idle_cap)


def complete_module(user: User, module: Module, now: datetime, idle_cap: int = 0) -> ModuleProgress:
    """Record the module as complete (also called when its quiz is passed)."""
    row = _progress_row(user, module, now)
    if row.id is not None and idle_cap:
        _count_active_time(row, now, idle_cap)
    if row.completed_at is None or row.updated_since_completion:
        row.completed_at = now
        row.updated_since_completion = False
        db.session.flush()
        from learning.certificates.issuing import after_module_completed  # the last module issues the certificate
        after_module_completed(user, module, now)
    db.session.flush()
    return row


def apply_device_event(user: User, module: Module, *, event_id: str, kind: str,
                       occurred_at: datetime, now: datetime, idle_cap: int,
                       scroll: float | None = None) -> bool:
    """Apply one queued offline event once; return False when this event id was seen before."""
    if db.session.get(ProgressEvent, event_id) is not None:
        return False
    occurred_at = min(occurred_at, now)
    db.session.add(ProgressEvent(event_id=event_id, user_id=user.id, module_id=module.id,
                                 kind=kind, occurred_at=occurred_at, received_at=now))
    if kind == "open":
        record_open(user, module, occurred_at)
    elif kind == "heartbeat":
        record_heartbeat(user, module, occurred_at, idle_cap, scroll)
    elif kind == "done" and not module_has_quiz(module):
        complete_module(user, module, occurred_at, idle_cap)
    db.session.flush()
    return True


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    total: int
    done: int
    started: int
    resume_module: Module | None
    resume_scroll: float
    # Set for the dashboard by learning.admin.assignments.dashboard_progress when the course is assigned.
    assigned: bool = False
    due_date: date | None = None
    overdue: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def state(self) -> str:
        if self.total and self.done >= self.total:
            return DONE
        return IN_PROGRESS if self.started else NOT_STARTED



def module_states(user: User, course: Course) -> dict[int, str]:
    """For each live module of `course`: not_started, in_progress or done for this officer."""
    rows = db.session.execute(
        sa.select(ModuleProgress.module_id, ModuleProgress.completed_at,
                  ModuleProgress.updated_since_completion)
        .join(Module, Module.id == ModuleProgress.module_id)
        .where(ModuleProgress.user_id == user.id, Module.course_id == course.id)
    ).all()
    states = {m.id: NOT_STARTED for m in course.live_modules}
    for module_id, completed_at, updated in rows:
        if module_id in states:
            states[module_id] = DONE if completed_at is not None and not updated else IN_PROGRESS
    return states


def passed_quiz_modules(user: User, course: Course) -> set[int]:
    """Ids of the course's modules whose quiz this officer has passed (one query)."""
    return set(db.session.scalars(
        sa.select(Quiz.module_id).join(Attempt, Attempt.quiz_id == Quiz.id)
        .join(Module, Module.id == Quiz.module_id)
        .where(Attempt.user_id == user.id, Attempt.passed.is_(True),
               Module.course_id == course.id)))


def courses_progress(user: User, courses: list[Course]) -> list[CourseProgress]:
    """Progress in each course, from one aggregate query plus one for the resume points."""
    if not courses:
        return []
    ids = [c.id for c in courses]
    done_expr = sa.case((ModuleProgress.is_done, 1), else_=0)
    counts = {
        course_id: (total, done or 0, started or 0)
        for course_id, total, done, started in db.session.execute(
            sa.select(Module.course_id, sa.func.count(Module.id), sa.func.sum(done_expr),
                      sa.func.count(ModuleProgress.id))
            .outerjoin(ModuleProgress, sa.and_(ModuleProgress.module_id == Module.id,
                                               ModuleProgress.user_id == user.id))
            .where(Module.course_id.in_(ids), Module.is_live)
            .group_by(Module.course_id))
    }
    last_seen = sa.select(
        Module.course_id, ModuleProgress.module_id, ModuleProgress.scroll_position,
        sa.func.row_number().over(partition_by=Module.course_id,
                                  order_by=ModuleProgress.last_opened_at.desc()).label("rank"),
    ).join(Module, Module.id == ModuleProgress.module_id).where(
        ModuleProgress.user_id == user.id, Module.course_id.in_(ids), Module.is_live
    ).subquery()
    resume = {course_id: (module_id, scroll) for course_id, module_id, scroll in db.session.execute(
        sa.select(last_seen.c.course_id, last_seen.c.module_id, last_seen.c.scroll_position)
        .where(last_seen.c.rank == 1))}
    modules = {m.id: m for c in courses for m in c.modules}
    result = []
    for course in courses:
        total, done, started = counts.get(course.id, (0, 0, 0))
        module_id, scroll = resume.get(course.id, (None, 0.0))
        result.append(CourseProgress(course=course, total=total, done=int(done),
                                     started=int(started), resume_module=modules.get(module_id),
                                     resume_scroll=scroll or 0.0))
    return result


def visible_courses() -> list[Course]:
    return list(db.session.scalars(
        sa.select(Course).where(Course.published.is_(True)).order_by(Course.position, Course.title)))
