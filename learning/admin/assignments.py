"""Assignments: a course given to everyone, a region, an office or chosen officers, with an
optional due date; and, for each officer, which courses are assigned and when they are due.

Who is covered is worked out in SQL (`coverage`): an assignment covers the active officers of its
scope as they are now, so an officer who moves office picks up the new office's courses. When
several assignments cover one officer and course, the due date that counts is the most specific
one's (chosen officer, then office, then region, then everyone), and among equals the newest:
the same rule the reminders use (learning.certificates.reminders), so a refresher deadline replaces an old one.

Functions add and flush; the caller commits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

import sqlalchemy as sa

from learning.learner import progress
from learning.extensions import db
from learning.models import Assignment, Course, Office, Region, Role, User
from .coverage import assigned_pairs, coverage
from learning.learner.progress import CourseProgress

MAX_CHOSEN = 1000


class AssignmentError(ValueError):
    def __init__(self, field: str | None, problem: str, **params):
        super().__init__(problem)
        self.field, self.code, self.params = field, problem, params


# --------------------------------------------------------------------------- the officer's view


@dataclass(frozen=True)
class AssignedCourse:
    course: Course
    due_date: date | None
    overdue: bool  # past the due date and not complete
    complete: bool
    assigned_at: datetime


def assigned_due_dates(user: User) -> dict[int, tuple[date | None, datetime]]:
    """course id -> (due date that counts, first assigned) for this officer: one query."""
    if user is None or not user.is_officer:
        return {}
    pairs = assigned_pairs(user_id=user.id)
    return {course_id: (due, assigned_at) for course_id, due, assigned_at in db.session.execute(
        sa.select(pairs.c.course_id, pairs.c.due_date, pairs.c.assigned_at))}


def _is_complete(item: CourseProgress) -> bool:
    """Complete on the current version, or an earlier one (a completion once earned stays)."""
    return item.state == progress.DONE


def assigned_courses_for(user: User, today: date) -> list[AssignedCourse]:
    """The officer's assigned (published) courses, soonest due first, with the overdue flag:
    a fixed number of queries (assignments, courses, progress)."""
    dues = assigned_due_dates(user)
    if not dues:
        return []
    courses = list(db.session.scalars(sa.select(Course).where(Course.id.in_(dues))))
    result = []
    for item in progress.courses_progress(user, courses):
        due, assigned_at = dues[item.course.id]
        complete = _is_complete(item)
        result.append(AssignedCourse(item.course, due, bool(due and due < today and not complete),
                                     complete, assigned_at))
    return sorted(result, key=lambda a: (a.complete, a.due_date is None, a.due_date or today,
                                         a.course.position, a.course.title))


def dashboard_progress(user: User, today: date) -> list[CourseProgress]:
    """'Kursus Saya': assigned courses first (unfinished, soonest due first), each with its due
    date and overdue flag, then the other published courses in their usual order."""
    dues = assigned_due_dates(user)
    courses = progress.visible_courses()
    items = {item.course.id: item for item in progress.courses_progress(user, courses)}

    def decorated(course: Course) -> CourseProgress:
        item = items[course.id]
        if course.id not in dues:
            return item
        due = dues[course.id][0]
        return replace(item, assigned=True, due_date=due,
                       overdue=bool(due and due < today and not _is_complete(item)))

    assigned = sorted((decorated(c) for c in courses if c.id in dues),
                      key=lambda i: (_is_complete(i), i.due_date is None, i.due_date or today))
    return assigned + [items[c.id] for c in courses if c.id not in dues]


# --------------------------------------------------------------------------- managing


_SEPARATORS = re.compile(r"[\s,;]+")


def find_officers(text: str) -> tuple[list[User], list[str]]:
    """Active officers named by username or NIP in `text` (separated by spaces, commas, ';' or
    lines); returns (officers found, words not matching an active officer)."""
    words = list(dict.fromkeys(w for w in _SEPARATORS.split(text or "") if w))
    if not words:
        return [], []
    if len(words) > MAX_CHOSEN:
        raise AssignmentError("officers", "too_many_officers", max=MAX_CHOSEN)
    lowered = [w.lower() for w in words]
    found = list(db.session.scalars(sa.select(User).where(
        User.role == Role.OFFICER.value, User.active.is_(True),
        sa.or_(sa.func.lower(User.username).in_(lowered), User.nip.in_(words)))))
    known = {u.username.lower() for u in found} | {u.nip for u in found if u.nip}
    unknown = [w for w in words if w.lower() not in known and w not in known]
    return found, unknown


def _check_due(due_date: date | None, today: date) -> None:
    if due_date is not None and due_date < today:
        raise AssignmentError("due_date", "due_in_past")


def _period(due_date: date | None, today: date) -> int | None:
    """The days the first officers have to finish: what a newcomer gets too, by default."""
    return None if due_date is None else max((due_date - today).days, 0)


def _check_newcomer_days(days: int | None) -> None:
    if days is not None and not 1 <= days <= 3650:
        raise AssignmentError("newcomer_days", "bad_newcomer_days")


def assign_course(course: Course, scope: str, *, today: date, actor: User | None = None,
                  region: Region | None = None, office: Office | None = None,
                  officers: list[User] = (), due_date: date | None = None,
                  newcomer_days: int | None = None) -> list[Assignment]:
    """Assign `course` to everyone, one region, one office or chosen officers (one assignment
    each). Assigning the same course to the same target again changes the due date of the
    existing assignment instead of adding a second one. An officer who comes under an
    everyone/region/office assignment later gets as many days as the first ones had from today
    (or `newcomer_days`), counted from the day they came under it."""
    _check_newcomer_days(newcomer_days)
    if course is None or not course.published:
        raise AssignmentError("course", "course_unavailable")
    _check_due(due_date, today)
    targets: list[dict]
    if scope == "all":
        targets = [{}]
    elif scope == "region":
        if region is None:
            raise AssignmentError("region", "region_required")
        targets = [{"region_id": region.id}]
    elif scope == "office":
        if office is None:
            raise AssignmentError("office", "office_choice_required")
        targets = [{"office_id": office.id}]
    elif scope == "user":
        if not officers:
            raise AssignmentError("officers", "officers_required")
        targets = [{"user_id": u.id} for u in officers]
    else:
        raise AssignmentError("scope", "bad_scope")
    result = []
    for target in targets:
        conditions = [Assignment.course_id == course.id, Assignment.scope == scope]
        conditions += [getattr(Assignment, key) == value for key, value in target.items()]
        existing = db.session.scalar(sa.select(Assignment).where(*conditions)
                                     .order_by(Assignment.created_at.desc()).limit(1))
        if existing is not None:
            existing.due_date = due_date
            existing.period_days = _period(due_date, today)
            existing.newcomer_days = newcomer_days
            result.append(existing)
            continue
        assignment = Assignment(course_id=course.id, scope=scope, due_date=due_date,
                                period_days=_period(due_date, today), newcomer_days=newcomer_days,
                                created_by_id=actor.id if actor else None, **target)
        db.session.add(assignment)
        result.append(assignment)
    db.session.flush()
    return result


def change_due_date(assignment: Assignment, due_date: date | None, today: date) -> None:
    _check_due(due_date, today)
    assignment.due_date = due_date
    assignment.period_days = _period(due_date, today)
    db.session.flush()


def remove_assignment(assignment: Assignment) -> None:
    """The course is no longer assigned through this assignment; progress stays."""
    db.session.delete(assignment)
    db.session.flush()


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    course_id: int
    course_title: str
    scope: str
    target: str  # region, office or officer name ("" for everyone)
    target_code: str
    due_date: date | None
    created_at: datetime
    officers: int  # active officers it covers now


def assignments_overview(course_id: int | None = None, limit: int = 500) -> list[AssignmentRow]:
    """Assignments (newest first) with what they cover: two queries."""
    query = (sa.select(Assignment.id, Assignment.course_id, Course.title, Assignment.scope,
                       sa.func.coalesce(Region.name, Office.name, User.full_name, ""),
                       sa.func.coalesce(Region.code, Office.code, User.nip, User.username, ""),
                       Assignment.due_date, Assignment.created_at)
             .join(Course, Course.id == Assignment.course_id)
             .outerjoin(Region, Region.id == Assignment.region_id)
             .outerjoin(Office, Office.id == Assignment.office_id)
             .outerjoin(User, User.id == Assignment.user_id)
             .order_by(Assignment.created_at.desc(), Assignment.id.desc()).limit(limit))
    if course_id is not None:
        query = query.where(Assignment.course_id == course_id)
    rows = db.session.execute(query).all()
    cov = coverage(course_id=course_id)
    counts = dict(db.session.execute(
        sa.select(cov.c.assignment_id, sa.func.count()).group_by(cov.c.assignment_id)).all())
    return [AssignmentRow(*row, officers=counts.get(row[0], 0)) for row in rows]
