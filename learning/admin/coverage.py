"""Who an assignment covers, in SQL: the officers of its scope and the due date that counts.

An assignment covers the *active officers* of its scope as they are now (an officer who moves office
picks up the new office's courses), for *published* courses. When several assignments cover one
officer and course, the due date that counts is the most specific one's (chosen officer, then
office, then region, then everyone) and among equals the newest; learning.certificates.reminders applies the
same rule.

`assigned_pairs` is built for speed at national scale: the all/region/office assignments are first
resolved per (office, course), a few hundred rows whatever the number of officers, and only then
joined to the officers by their indexed office; assignments to chosen officers (few) override
them. No sort over all officers is needed.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Assignment, Course, Office, Role, User

SCOPE_RANK = {"user": 3, "office": 2, "region": 1, "all": 0}
NO_OFFICE = 0  # the office key of officers who belong to no office


def _officer_conditions(user_id: int | None, office_id: int | None, region_id: int | None):
    conditions = [User.role == Role.OFFICER.value, User.active.is_(True)]
    if user_id is not None:
        conditions.append(User.id == user_id)
    if office_id == NO_OFFICE:
        conditions.append(User.office_id.is_(None))
    elif office_id is not None:
        conditions.append(User.office_id == office_id)
    if region_id is not None:
        conditions.append(User.office_id.in_(
            sa.select(Office.id).where(Office.region_id == region_id).scalar_subquery()))
    return conditions


def _published(course_id: int | None):
    query = sa.select(Course.id).where(Course.published.is_(True))
    if course_id is not None:
        query = query.where(Course.id == course_id)
    return Assignment.course_id.in_(query.scalar_subquery())


def coverage(*, user_id: int | None = None, office_id: int | None = None,
             region_id: int | None = None, course_id: int | None = None) -> sa.Subquery:
    """One row per (assignment, officer it covers): user_id, course_id, assignment_id, rank,
    due_date, created_at. For counting what each assignment covers (the assignments page)."""
    officers = _officer_conditions(user_id, office_id, region_id)
    common = [_published(course_id)]

    def columns(rank: int):
        return (User.id.label("user_id"), Assignment.course_id.label("course_id"),
                Assignment.id.label("assignment_id"), sa.literal(rank).label("rank"),
                Assignment.due_date.label("due_date"), Assignment.created_at.label("created_at"))

    everyone = (sa.select(*columns(0)).select_from(Assignment).join(User, sa.true())
                .where(Assignment.scope == "all", *common, *officers))
    by_region = (sa.select(*columns(1)).select_from(Assignment)
                 .join(Office, Office.region_id == Assignment.region_id)
                 .join(User, User.office_id == Office.id)
                 .where(Assignment.scope == "region", *common, *officers))
    by_office = (sa.select(*columns(2)).select_from(Assignment)
                 .join(User, User.office_id == Assignment.office_id)
                 .where(Assignment.scope == "office", *common, *officers))
    chosen = (sa.select(*columns(3)).select_from(Assignment)
              .join(User, User.id == Assignment.user_id)
              .where(Assignment.scope == "user", *common, *officers))
    return sa.union_all(everyone, by_region, by_office, chosen).subquery("coverage")


def _first_by_rule(rows: sa.Subquery, key: tuple, name: str) -> sa.Subquery:
    """Per `key`: the winning row (rank, then newest): its due date, rank, creation and the days
    a newcomer gets; and the first created_at of any row."""
    ranked = sa.select(
        *[rows.c[k] for k in key], rows.c.due_date, rows.c.rank, rows.c.created_at,
        rows.c.days,
        sa.func.row_number().over(
            partition_by=[rows.c[k] for k in key],
            order_by=(rows.c.rank.desc(), rows.c.created_at.desc(), rows.c.assignment_id.desc()),
        ).label("pick"),
        sa.func.min(rows.c.created_at).over(partition_by=[rows.c[k] for k in key])
        .label("assigned_at"),
    ).subquery(f"{name}_ranked")
    return (sa.select(*[ranked.c[k] for k in key], ranked.c.due_date, ranked.c.assigned_at,
                      ranked.c.rank, ranked.c.created_at.label("won_at"), ranked.c.days)
            .where(ranked.c.pick == 1).subquery(name))


def _days():
    return sa.func.coalesce(Assignment.newcomer_days, Assignment.period_days).label("days")


def _office_courses(course_id: int | None) -> sa.CTE:
    """(office_id, course_id, due_date, assigned_at, rank, won_at, days) from the
    all/region/office assignments; the pseudo office NO_OFFICE holds what officers without an
    office get (assignments to all)."""
    def columns(office, rank: int):
        return (office.label("office_id"), Assignment.course_id.label("course_id"),
                Assignment.id.label("assignment_id"), sa.literal(rank).label("rank"),
                Assignment.due_date.label("due_date"), Assignment.created_at.label("created_at"),
                _days())

    published = _published(course_id)
    everyone = (sa.select(*columns(Office.id, 0)).select_from(Assignment).join(Office, sa.true())
                .where(Assignment.scope == "all", published))
    nowhere = (sa.select(*columns(sa.literal(NO_OFFICE), 0))
               .where(Assignment.scope == "all", published))
    by_region = (sa.select(*columns(Office.id, 1)).select_from(Assignment)
                 .join(Office, Office.region_id == Assignment.region_id)
                 .where(Assignment.scope == "region", published))
    by_office = (sa.select(*columns(Assignment.office_id, 2))
                 .where(Assignment.scope == "office", published))
    rows = sa.union_all(everyone, nowhere, by_region, by_office).subquery("office_rows")
    return _first_by_rule(rows, ("office_id", "course_id"), "office_pick").select().cte(
        "office_courses")


def _chosen(course_id: int | None, officers) -> sa.CTE:
    """Per (officer, course) assigned to chosen officers: due date by the rule, first created."""
    rows = (sa.select(Assignment.user_id.label("user_id"), Assignment.course_id.label("course_id"),
                      Assignment.id.label("assignment_id"), sa.literal(3).label("rank"),
                      Assignment.due_date.label("due_date"),
                      Assignment.created_at.label("created_at"), _days())
            .join(User, User.id == Assignment.user_id)
            .where(Assignment.scope == "user", _published(course_id), *officers)
            .subquery("chosen_rows"))
    # A CTE, so the database materialises it once and can look rows up by (officer, course).
    return _first_by_rule(rows, ("user_id", "course_id"), "chosen_pick").select().cte("chosen")


# --------------------------------------------------------------------------- newcomers


def covered_since(rank):
    """When the officer came under an assignment of this rank: their account's creation for
    everyone, their move into the region or office for a region or an office (NULL: created)."""
    return sa.case((rank == 1, sa.func.coalesce(User.region_since, User.created_at)),
                   (rank == 2, sa.func.coalesce(User.office_since, User.created_at)),
                   else_=User.created_at)


def _local_day_plus(moment, days):
    """The officers' calendar date of `moment` plus `days`, in SQL (PostgreSQL: the configured
    zone; SQLite: its current UTC offset, which is fixed in Indonesia)."""
    from learning.clock import app_timezone

    zone = app_timezone()
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.cast(sa.func.timezone(zone, moment), sa.Date) + days
    offset = int(datetime.now(ZoneInfo(zone)).utcoffset().total_seconds())
    return sa.type_coerce(sa.func.date(moment, f"{offset:+d} seconds",
                                       sa.cast(days, sa.String).concat(" days")), sa.Date)


def _own_dates(row):
    """(due_date, assigned_at) for the officer in the current SELECT under the winning
    assignment `row`: an officer who came under an everyone/region/office assignment after it
    was made gets as many days as the first officers had (or the newcomer days), counted from
    the day they came under it; and their "assigned" moment is that one."""
    since = covered_since(row.c.rank)
    later = sa.and_(row.c.rank < 3, since > row.c.won_at)
    own_due = _local_day_plus(since, row.c.days)
    due = sa.case((sa.and_(later, row.c.due_date.is_not(None), row.c.days.is_not(None),
                           own_due > row.c.due_date), own_due),
                  else_=row.c.due_date)
    assigned = sa.case((since > row.c.assigned_at, since), else_=row.c.assigned_at)
    return sa.type_coerce(due, sa.Date).label("due_date"), assigned.label("assigned_at")


def assigned_pairs(*, user_id: int | None = None, office_id: int | None = None,
                   region_id: int | None = None, course_id: int | None = None) -> sa.Subquery:
    """One row per (active officer, published course) assigned, optionally only for one officer,
    office (NO_OFFICE: officers without one), region or course: user_id, course_id, due_date
    (the one that counts) and assigned_at (when the first covering assignment was made, or when
    the officer came under it if later). An officer who came under an everyone/region/office
    assignment after it was made has their own due date: see `_own_dates`."""
    officers = _officer_conditions(user_id, office_id, region_id)
    offices = _office_courses(course_id)
    chosen = _chosen(course_id, officers)
    chosen_users = sa.select(chosen.c.user_id)
    columns = (User.id.label("user_id"), offices.c.course_id, *_own_dates(offices))
    # Most officers: what their office gets (an indexed join from a few hundred office rows).
    with_office = (sa.select(*columns).select_from(offices)
                   .join(User, User.office_id == offices.c.office_id)
                   .where(*officers, User.id.not_in(chosen_users)))
    without_office = (sa.select(*columns).select_from(offices)
                      .join(User, User.office_id.is_(None))
                      .where(offices.c.office_id == NO_OFFICE, *officers,
                             User.id.not_in(chosen_users)))
    # The few officers with assignments of their own: their office's other courses.
    others = (sa.select(*columns).select_from(User)
              .join(offices, offices.c.office_id == sa.func.coalesce(User.office_id, NO_OFFICE))
              .where(User.id.in_(chosen_users), *officers,
                     ~sa.exists().where(chosen.c.user_id == User.id,
                                        chosen.c.course_id == offices.c.course_id)))
    # Chosen officers: their own due date; first assigned by whichever came first.
    office_rows = offices.alias("office_of_chosen")
    office_assigned = _own_dates(office_rows)[1]
    earlier = sa.and_(office_rows.c.assigned_at.is_not(None),
                      office_assigned < chosen.c.assigned_at)
    with_chosen = (sa.select(chosen.c.user_id, chosen.c.course_id, chosen.c.due_date,
                             sa.case((earlier, office_assigned),
                                     else_=chosen.c.assigned_at).label("assigned_at"))
                   .select_from(chosen).join(User, User.id == chosen.c.user_id)
                   .outerjoin(office_rows, sa.and_(
                       office_rows.c.office_id == sa.func.coalesce(User.office_id, NO_OFFICE),
                       office_rows.c.course_id == chosen.c.course_id)))
    return sa.union_all(with_office, without_office, others, with_chosen).subquery("assigned")
