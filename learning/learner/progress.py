"""Progress rules: opening, reading time, completion, and how far an officer is in a course.

Time is counted honestly on the server: only the gaps between an officer's own events (open,
heartbeat, complete) count, a gap longer than the idle cap counts as nothing, so a tab left open
overnight adds no hours, and offline events are believed only as far as learning.learner.reading_time
allows (no future, nothing before the account, no overlap, a cap per module and day).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from learning.extensions import db
from learning.models import (Attempt, Course, CourseCompletion, Module, ModuleProgress,
                             ProgressEvent, Quiz, User)
from .reading_time import OK, Limits, Verdict, impossible, judge

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


def _limits(idle_cap: int, limits: Limits | None) -> Limits:
    return limits if limits is not None else Limits(idle_cap=idle_cap)


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
                     scroll: float | None = None, limits: Limits | None = None) -> ModuleProgress:
    """The page is still being read: credit the gap since the last event, within the rules of
    learning.learner.reading_time (idle cap, cap per module and day)."""
    row, _ = heartbeat(user, module, now, now=now, limits=_limits(idle_cap, limits), scroll=scroll,
                       server_clock=True)
    return row


def heartbeat(user: User, module: Module, at: datetime, *, now: datetime, limits: Limits,
              scroll: float | None = None, claimed_from: datetime | None = None,
              server_clock: bool = False) -> tuple[ModuleProgress, Verdict]:
    """A reading heartbeat at `at` (the server's clock online, the device's offline)."""
    reason = None if server_clock else impossible(user, at, now, limits)
    if reason is not None:  # not believed as a moment: no row is started or moved
        row = find_progress(user, module)
        return row, judge(user, module, row, at, now=now, limits=limits, claimed_from=claimed_from)
    row = _progress_row(user, module, at)
    verdict = judge(user, module, row, at, now=now, limits=limits, claimed_from=claimed_from,
                    server_clock=server_clock)
    if scroll is not None and verdict.moves_clock:
        row.scroll_position = min(max(float(scroll), 0.0), 1.0)
    db.session.flush()
    return row, verdict


def module_has_quiz(module: Module) -> bool:
    return db.session.scalar(sa.select(Quiz.id).where(
        Quiz.module_id == module.id, Quiz.published_revision_id.is_not(None))) is not None


class CompletionRefused(Exception):
    """A module with a quiz is completed by passing the quiz, not by a button."""


def mark_done(user: User, module: Module, now: datetime, idle_cap: int,
              limits: Limits | None = None) -> ModuleProgress:
    """'Tandai selesai' for a module without a quiz. Idempotent: the first completion time stays."""
    if module_has_quiz(module):
        raise CompletionRefused(module.slug)
    return complete_module(user, module, now, idle_cap, limits=limits)


def complete_module(user: User, module: Module, now: datetime, idle_cap: int = 0,
                    limits: Limits | None = None, *, received: datetime | None = None,
                    claimed_from: datetime | None = None) -> ModuleProgress:
    """Record the module as complete (also called when its quiz is passed). With an idle cap,
    the time since the last event is credited as reading (reading_time's rules)."""
    row = _progress_row(user, module, now)
    _complete(user, module, row, now, idle_cap, limits, received or now, claimed_from,
              server_clock=received is None)
    return row


def _complete(user, module, row, at, idle_cap, limits, now, claimed_from,
              server_clock=False) -> Verdict:
    verdict = Verdict(OK, 0, 0)
    if row.id is not None and (idle_cap or limits):
        verdict = judge(user, module, row, at, now=now, limits=_limits(idle_cap, limits),
                        claimed_from=claimed_from, server_clock=server_clock)
    if row.completed_at is None or row.updated_since_completion:
        row.completed_at = at
        row.updated_since_completion = False
        db.session.flush()
        from learning.certificates.issuing import after_module_completed  # the last module issues the certificate
        after_module_completed(user, module, at)
    db.session.flush()
    return verdict


def apply_device_event(user: User, module: Module, *, event_id: str, kind: str,
                       occurred_at: datetime, now: datetime, idle_cap: int,
                       scroll: float | None = None, limits: Limits | None = None,
                       claimed_from: datetime | None = None) -> bool:
    """Apply one queued offline event once; return False when this event id was seen before.
    The event is kept with what reading_time made of it (verdict, seconds credited/refused)."""
    if db.session.get(ProgressEvent, event_id) is not None:
        return False
    limits = _limits(idle_cap, limits)
    reason = impossible(user, occurred_at, now, limits)
    verdict = Verdict(reason or OK, 0, 0)
    if kind == "open" and reason is None:
        row = _progress_row(user, module, occurred_at)
        if row.id is not None:
            row.last_opened_at = max(row.last_opened_at, occurred_at)
            verdict = judge(user, module, row, occurred_at, now=now, limits=limits, counts=False)
        db.session.flush()
    elif kind == "heartbeat":
        _, verdict = heartbeat(user, module, occurred_at, now=now, limits=limits, scroll=scroll,
                               claimed_from=claimed_from)
    elif kind == "done" and not module_has_quiz(module):
        # An impossible time is not believed, but the officer did finish: dated on arrival.
        at = occurred_at if reason is None else now
        row = _progress_row(user, module, at)
        verdict = _complete(user, module, row, at, 0, limits if reason is None else None, now,
                            claimed_from)
        if reason is not None:
            verdict = Verdict(reason, 0, 0)
    db.session.add(ProgressEvent(event_id=event_id, user_id=user.id, module_id=module.id,
                                 kind=kind, occurred_at=occurred_at, received_at=now,
                                 verdict=verdict.verdict, credited_seconds=verdict.credited,
                                 refused_seconds=verdict.refused))
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
    # The officer holds an open completion of the course (learning.learner.completions): it stays
    # finished when modules are added or changed later; then `next_module` is the new material.
    earned: bool = False
    next_module: Module | None = None  # the first live module not done yet
    certificate_number: str | None = None  # set for the dashboard: the certificate to show

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def state(self) -> str:
        if (self.total and self.done >= self.total) or self.earned:
            return DONE
        return IN_PROGRESS if self.started else NOT_STARTED

    @property
    def new_material(self) -> bool:
        """Finished (an earlier version), with modules added or changed since."""
        return self.earned and self.done < self.total



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
    earned = set(db.session.scalars(sa.select(CourseCompletion.course_id).where(
        CourseCompletion.user_id == user.id, CourseCompletion.course_id.in_(ids),
        CourseCompletion.closed_at.is_(None))))
    done_ids = set(db.session.scalars(sa.select(ModuleProgress.module_id).join(
        Module, Module.id == ModuleProgress.module_id).where(
        ModuleProgress.user_id == user.id, Module.course_id.in_(ids), ModuleProgress.is_done)))
    result = []
    for course in courses:
        total, done, started = counts.get(course.id, (0, 0, 0))
        module_id, scroll = resume.get(course.id, (None, 0.0))
        upcoming = next((m for m in course.live_modules if m.id not in done_ids), None)
        result.append(CourseProgress(course=course, total=total, done=int(done),
                                     started=int(started), resume_module=modules.get(module_id),
                                     resume_scroll=scroll or 0.0, earned=course.id in earned,
                                     next_module=upcoming))
    return result


def visible_courses() -> list[Course]:
    return list(db.session.scalars(
        sa.select(Course).where(Course.published.is_(True)).order_by(Course.position, Course.title)))
