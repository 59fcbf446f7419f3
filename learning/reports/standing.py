"""Each officer's standing in each course (learning.models.reporting.CourseStanding), kept exact
in the same transaction as whatever changes it, so that reports read one row per (officer,
course) instead of re-aggregating every progress row and attempt on every request.

A standing row is what the live aggregates of learning.reports.facts give for that officer and
course; it depends on the officer's module progress, their submitted attempts, and which modules
are live. Every change to those goes through the ORM except a few bulk UPDATEs:

- `before_flush` notes the progress rows, attempts, modules and quizzes a flush changes (only the
  columns a standing depends on: a reading heartbeat does not count), and `after_flush_postexec`
  recomputes the (officer, course) rows they touch, on the flush's own connection;
- bulk statements (learning.certificates.refresher, the demo generator) call `refresh` or `rebuild` themselves;
- `flask reports rebuild` recomputes the whole table (after a restore or a hand edit).
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from learning.extensions import db
from learning.models import Attempt, CourseCompletion, Module, ModuleProgress, Quiz, User
from learning.models.attempts import SUBMITTED
from learning.models.reporting import CourseStanding
from .facts import best_scores, course_progress

NOTED = "pimpasa.standing_noted"
COLUMNS = ["user_id", "course_id", "started_at", "done", "last_done", "score_sum", "score_n",
           "earned_at"]
WATCHED = {  # model: the columns a standing depends on
    ModuleProgress: ("user_id", "module_id", "first_opened_at", "completed_at",
                     "updated_since_completion"),
    Attempt: ("user_id", "quiz_id", "status", "percent"),
    Module: ("course_id", "published_revision_id", "retired_at"),  # read by _changed: liveness
    Quiz: ("module_id",),
    CourseCompletion: ("user_id", "course_id", "completed_at", "closed_at"),
}


def open_completions(scope_ids=None, course_id: int | None = None) -> sa.Subquery:
    """Per (officer, course): when their open completion was earned (learning.learner.completions)."""
    conditions = [CourseCompletion.closed_at.is_(None)]
    if scope_ids is not None:
        conditions.append(CourseCompletion.user_id.in_(scope_ids.scalar_subquery()))
    if course_id is not None:
        conditions.append(CourseCompletion.course_id == course_id)
    return (sa.select(CourseCompletion.user_id, CourseCompletion.course_id,
                      sa.func.max(CourseCompletion.completed_at).label("earned_at"))
            .where(*conditions)
            .group_by(CourseCompletion.user_id, CourseCompletion.course_id).subquery("earned"))


def live_standing(scope_ids=None, course_id: int | None = None) -> sa.Select:
    """Standing rows computed from progress, attempts and completions (for the officers in
    `scope_ids`, a SELECT of user ids, and one course), with the columns of CourseStanding."""
    prog = course_progress(scope_ids, course_id)
    scores = best_scores(None, None, scope_ids, course_id)
    earned = open_completions(scope_ids, course_id)
    keys = sa.union(sa.select(prog.c.user_id, prog.c.course_id),
                    sa.select(scores.c.user_id, scores.c.course_id),
                    sa.select(earned.c.user_id, earned.c.course_id)).subquery("keys")
    return (sa.select(keys.c.user_id, keys.c.course_id, prog.c.started_at,
                      sa.func.coalesce(prog.c.done, 0), prog.c.last_done,
                      sa.func.coalesce(scores.c.score_sum, 0.0),
                      sa.func.coalesce(scores.c.score_n, 0), earned.c.earned_at)
            .select_from(keys)
            .outerjoin(prog, sa.and_(prog.c.user_id == keys.c.user_id,
                                     prog.c.course_id == keys.c.course_id))
            .outerjoin(scores, sa.and_(scores.c.user_id == keys.c.user_id,
                                       scores.c.course_id == keys.c.course_id))
            .outerjoin(earned, sa.and_(earned.c.user_id == keys.c.user_id,
                                       earned.c.course_id == keys.c.course_id)))


def refresh(scope_ids=None, course_id: int | None = None, connection=None) -> None:
    """Recompute the standing of the officers in `scope_ids` (all when None) in one course (all
    when None): delete their rows, insert them afresh from the live aggregates."""
    run = connection.execute if connection is not None else db.session.execute
    conditions = []
    if scope_ids is not None:
        conditions.append(CourseStanding.user_id.in_(scope_ids.scalar_subquery()))
    if course_id is not None:
        conditions.append(CourseStanding.course_id == course_id)
    run(sa.delete(CourseStanding).where(*conditions))
    run(sa.insert(CourseStanding).from_select(COLUMNS, live_standing(scope_ids, course_id)))


def rebuild() -> int:
    """Recompute every standing row; returns how many there are."""
    refresh()
    return db.session.scalar(sa.select(sa.func.count()).select_from(CourseStanding)) or 0


def officers(*user_ids: int) -> sa.Select:
    return sa.select(User.id).where(User.id.in_(user_ids))


def readers_of(module_id: int) -> sa.Select:
    """The officers whose standing can change with module `module_id`: it holds their progress,
    or its quiz their attempts."""
    quiz_ids = sa.select(Quiz.id).where(Quiz.module_id == module_id)
    return sa.select(ModuleProgress.user_id).where(ModuleProgress.module_id == module_id).union(
        sa.select(Attempt.user_id).where(Attempt.quiz_id.in_(quiz_ids)))


# --------------------------------------------------------------------------- keeping it exact


_UNKNOWN = object()


def _before(attribute):
    """The attribute's value before this flush, or _UNKNOWN when it was set without being loaded."""
    history = attribute.history
    if history.deleted:
        return history.deleted[0]
    return _UNKNOWN if history.added else attribute.value


def _changed(obj, columns) -> bool:
    attrs = sa.inspect(obj).attrs
    if isinstance(obj, Module):  # a new published revision matters only when it makes it live
        revision, retired = _before(attrs.published_revision_id), _before(attrs.retired_at)
        if revision is _UNKNOWN or retired is _UNKNOWN or attrs.course_id.history.has_changes():
            return True
        was_live = revision is not None and retired is None
        return was_live != obj.is_live
    return any(attrs[name].history.has_changes() for name in columns)


@event.listens_for(Session, "before_flush")
def _note(session, _flush_context, _instances) -> None:
    noted = [obj for obj in session.deleted if type(obj) in WATCHED]
    for obj in session.new:
        if type(obj) in WATCHED and not (isinstance(obj, Attempt) and obj.status != SUBMITTED):
            noted.append(obj)  # an attempt counts once submitted
    for obj in session.dirty:
        columns = WATCHED.get(type(obj))
        if columns and _changed(obj, columns):
            noted.append(obj)
    session.info[NOTED] = noted  # a failed flush leaves nothing behind for the next


def _courses_of(connection, model, ids: set[int]) -> dict[int, int]:
    if not ids:
        return {}
    if model is Module:
        query = sa.select(Module.id, Module.course_id).where(Module.id.in_(ids))
    else:
        query = (sa.select(Quiz.id, Module.course_id).join(Module, Module.id == Quiz.module_id)
                 .where(Quiz.id.in_(ids)))
    return dict(connection.execute(query).all())


@event.listens_for(Session, "after_flush_postexec")
def _settle(session, _flush_context) -> None:
    noted = session.info.pop(NOTED, None)
    if not noted:
        return
    connection = session.connection()
    touched: dict[type, set[tuple[int, int]]] = defaultdict(set)
    modules, quizzes = set(), set()
    per_course_noted: dict[int, set[int]] = {}
    for obj in noted:
        if isinstance(obj, ModuleProgress):
            touched[Module].add((obj.user_id, obj.module_id))
        elif isinstance(obj, Attempt):
            touched[Quiz].add((obj.user_id, obj.quiz_id))
        elif isinstance(obj, Module):
            modules.add(obj.id)
        elif isinstance(obj, Quiz):
            quizzes.add(obj.id)
        elif isinstance(obj, CourseCompletion):
            per_course_noted.setdefault(obj.course_id, set()).add(obj.user_id)
    per_course: dict[int, set[int]] = defaultdict(set)
    for course_id, user_ids in per_course_noted.items():
        per_course[course_id] |= user_ids
    for model, pairs in touched.items():
        course_of = _courses_of(connection, model, {item for _, item in pairs})
        for user_id, item in pairs:
            if item in course_of:
                per_course[course_of[item]].add(user_id)
    for course_id, user_ids in per_course.items():
        refresh(officers(*user_ids), course_id, connection)
    for module_id, course_id in _courses_of(connection, Module, modules).items():
        refresh(readers_of(module_id), course_id, connection)
    for quiz_id in quizzes:  # a quiz moved to another module: its takers, in every course
        refresh(sa.select(Attempt.user_id).where(Attempt.quiz_id == quiz_id), None, connection)
