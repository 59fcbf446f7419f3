"""The SQL every completion report is built from: one row of facts per (officer, assigned course).

`course_facts` is a subquery; reports GROUP BY it at the level they show (region, office,
officer, course, week). Nothing here loads rows into Python. The officers counted are the active
officers an assignment covers (learning.admin.coverage); a course is complete when every
live module of it is complete (and not sent back by a substantive update), or when the officer
holds an open completion of an earlier version of it (a completion once earned stays earned; the
officer then "has new material"); its completion moment is the last of those module completions,
or that completion's. A score is the officer's best submitted attempt on each
quiz of the course; levels carry the sum and the count of those scores so that every level's
average is the same weighted mean.

`course_progress` and `best_scores` compute those per (officer, course) from every progress row
and attempt; reports read the same figures from the standing table that learning.reports.standing keeps
(`kept_standing`), and go back to the attempts only for scores within a date range.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from learning.admin.coverage import assigned_pairs
from learning.extensions import db
from learning.models import Attempt, Module, ModuleProgress, Office, Quiz, Role, User
from learning.models.attempts import SUBMITTED
from learning.models.reporting import CourseStanding
from .filters import ReportFilter

WEEK_SECONDS = 7 * 24 * 3600


def live_module():
    return Module.is_live


def officers_of(*, region_id: int | None = None, office_id: int | None = None,
                user_id: int | None = None):
    """A SELECT of the ids of the officers in scope, or None for every officer."""
    if user_id is not None:
        return sa.select(sa.literal(user_id))
    if office_id is None and region_id is None:
        return None
    query = sa.select(User.id).where(User.role == Role.OFFICER.value)
    if office_id == 0:
        return query.where(User.office_id.is_(None))
    if office_id is not None:
        return query.where(User.office_id == office_id)
    return query.join(Office, Office.id == User.office_id).where(Office.region_id == region_id)


def _in_scope(column, scope_ids):
    return [] if scope_ids is None else [column.in_(scope_ids.scalar_subquery())]


def _one_course(course_id) -> list:
    return [] if course_id is None else [Module.course_id == course_id]


def _quizzes_of(course_id) -> list:
    if course_id is None:
        return []
    quiz_ids = (sa.select(Quiz.id).join(Module, Module.id == Quiz.module_id)
                .where(Module.course_id == course_id))
    return [Attempt.quiz_id.in_(quiz_ids)]


def module_totals() -> sa.Subquery:
    return (sa.select(Module.course_id, sa.func.count(Module.id).label("total"))
            .where(live_module()).group_by(Module.course_id).subquery("totals"))


def course_progress(scope_ids=None, course_id=None) -> sa.Subquery:
    """Per (officer, course): first opening, modules done, last module completion."""
    done = sa.case((ModuleProgress.is_done, 1), else_=0)
    return (sa.select(ModuleProgress.user_id, Module.course_id,
                      sa.func.min(ModuleProgress.first_opened_at).label("started_at"),
                      sa.func.sum(done).label("done"),
                      sa.func.max(ModuleProgress.completed_at).label("last_done"))
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(live_module(), *_in_scope(ModuleProgress.user_id, scope_ids),
                   *_one_course(course_id))
            .group_by(ModuleProgress.user_id, Module.course_id).subquery("course_progress"))


def _in_range(column, start: datetime | None, end: datetime | None) -> list:
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return conditions


def best_scores(start: datetime | None, end: datetime | None, scope_ids=None,
                course_id=None) -> sa.Subquery:
    """Per (officer, course): the sum and number of best quiz scores (submitted in range)."""
    best = (sa.select(Attempt.user_id, Attempt.quiz_id, sa.func.max(Attempt.percent).label("best"))
            .where(Attempt.status == SUBMITTED, *_in_range(Attempt.submitted_at, start, end),
                   *_in_scope(Attempt.user_id, scope_ids),
                   *_quizzes_of(course_id))
            .group_by(Attempt.user_id, Attempt.quiz_id).subquery("best"))
    return (sa.select(best.c.user_id, Module.course_id,
                      sa.func.sum(best.c.best).label("score_sum"),
                      sa.func.count().label("score_n"))
            .select_from(best).join(Quiz, Quiz.id == best.c.quiz_id)
            .join(Module, Module.id == Quiz.module_id)
            .group_by(best.c.user_id, Module.course_id).subquery("scores"))


def course_facts(report: ReportFilter, today: date, start: datetime | None, end: datetime | None,
                 *, region_id: int | None = None, office_id: int | None = None,
                 user_id: int | None = None) -> sa.Subquery:
    """One row per (active officer, assigned published course) in scope with 0/1 flags:
    started (by `end`), completed (in [start, end)), complete_now, overdue (today); the course's
    completion moment; score_sum/score_n; the office and region; the due date."""
    scope = {"region_id": region_id, "office_id": office_id, "user_id": user_id,
             "course_id": report.course_id}
    pairs = assigned_pairs(**scope)
    scope_ids = officers_of(region_id=region_id, office_id=office_id, user_id=user_id)
    totals, prog = module_totals(), kept_standing(scope_ids)
    # Best scores: kept in the standing unless only attempts submitted in a date range count.
    scores = prog if start is None and end is None else best_scores(start, end, scope_ids)
    current = sa.and_(totals.c.total > 0,  # NULL-safe: no progress row means not complete
                      sa.func.coalesce(prog.c.done, 0) >= totals.c.total)
    # A completion once earned stays counted: an open completion of an earlier version (modules
    # added or changed since) is complete, with new material.
    earned = prog.c.earned_at.is_not(None)
    complete_now = sa.or_(current, earned)
    new_material = sa.and_(earned, sa.not_(current))
    completed_at = sa.case((current, prog.c.last_done), else_=prog.c.earned_at)
    completed = sa.and_(complete_now, *_in_range(completed_at, start, end))
    started = sa.and_(prog.c.started_at.is_not(None),
                      *([prog.c.started_at < end] if end is not None else []))
    flag = lambda condition: sa.case((condition, 1), else_=0)  # noqa: E731
    query = (sa.select(
        pairs.c.user_id, pairs.c.course_id, User.office_id, Office.region_id,
        pairs.c.assigned_at, pairs.c.due_date,
        flag(started).label("started"), flag(completed).label("completed"),
        flag(complete_now).label("complete_now"),
        flag(new_material).label("new_material"),
        flag(sa.and_(pairs.c.due_date < today, sa.not_(complete_now))).label("overdue"),
        sa.case((complete_now, completed_at), else_=None).label("completed_at"),
        prog.c.started_at,
        sa.func.coalesce(scores.c.score_sum, 0.0).label("score_sum"),
        sa.func.coalesce(scores.c.score_n, 0).label("score_n"))
        .select_from(pairs)
        .join(User, User.id == pairs.c.user_id)
        .outerjoin(Office, Office.id == User.office_id)
        .outerjoin(totals, totals.c.course_id == pairs.c.course_id)
        .outerjoin(prog, sa.and_(prog.c.user_id == pairs.c.user_id,
                                 prog.c.course_id == pairs.c.course_id)))
    if scores is not prog:
        query = query.outerjoin(scores, sa.and_(scores.c.user_id == pairs.c.user_id,
                                                scores.c.course_id == pairs.c.course_id))
    return query.subquery("facts")


def kept_standing(scope_ids=None) -> sa.Subquery:
    """Per (officer, course), as `course_progress` and `best_scores` (no date range) would give
    it, read from the standing table learning.reports.standing keeps."""
    return (sa.select(CourseStanding.user_id, CourseStanding.course_id, CourseStanding.started_at,
                      CourseStanding.done, CourseStanding.last_done, CourseStanding.score_sum,
                      CourseStanding.score_n, CourseStanding.earned_at)
            .where(*_in_scope(CourseStanding.user_id, scope_ids)).subquery("standing"))


def week_index(column, start: datetime):
    """Whole weeks from `start` to the instant in `column` (for instants at or after start)."""
    if db.session.get_bind().dialect.name == "postgresql":
        seconds = sa.extract("epoch", column) - start.timestamp()
        return sa.cast(sa.func.floor(seconds / WEEK_SECONDS), sa.Integer)
    seconds = sa.cast(sa.func.strftime("%s", column), sa.Integer) - int(start.timestamp())
    return sa.cast(seconds / WEEK_SECONDS, sa.Integer)
