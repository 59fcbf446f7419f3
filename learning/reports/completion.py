"""Completion rates from national level down to one officer, per course, and the weekly trend.

Each page is a handful of aggregate queries, whatever the number of officers: one GROUP BY over
the facts (learning.reports.facts) at (unit, course, week) granularity, from which the units table
(regions, offices or officers) and the courses table of the page are summed; plus the names of the
units. The weekly trend comes from the same query (grouped by week of completion too). Units
with nothing assigned are listed too (with zeros), so every office shows up.
Lower levels add up to the upper ones: a region's row equals the sum of its offices' rows, which
equal the sums of their officers' rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learning.extensions import db
from learning.models import Course, Office, Region, Role, User
from .facts import course_facts, week_index
from .filters import ReportFilter
from .tables import DATE, INT, PERCENT, SCORE, TEXT, Column, ReportRow, ReportTable, mean, rate

NATIONAL, REGION, OFFICE = "national", "region", "office"
TREND_WEEKS = 12
MAX_TREND_WEEKS = 106


@dataclass
class Counts:
    assigned: int = 0
    started: int = 0
    completed: int = 0
    overdue: int = 0
    score_sum: float = 0.0
    score_n: int = 0
    new_material: int = 0  # completed an earlier version of the course; new material since
    complete_now: int = 0  # complete today (any version), whatever the date filter

    def add(self, other: "Counts") -> None:
        self.assigned += other.assigned
        self.started += other.started
        self.completed += other.completed
        self.overdue += other.overdue
        self.score_sum += other.score_sum
        self.score_n += other.score_n
        self.new_material += other.new_material
        self.complete_now += other.complete_now

    @property
    def rate(self) -> float | None:
        return rate(self.completed, self.assigned)

    @property
    def average(self) -> float | None:
        return mean(self.score_sum, self.score_n)

    @property
    def not_completed(self) -> int:
        return self.assigned - self.complete_now

    def values(self) -> tuple:
        return (self.assigned, self.started, self.completed, self.rate, self.overdue, self.average,
                self.complete_now - self.new_material, self.new_material, self.not_completed)


def count_columns() -> list[Column]:
    """The figures of every completion table. The last three split the assigned officer-course
    pairs as they stand today and add up to *Ditugaskan*: completed on the current version,
    completed an earlier version (new material since), not completed."""
    return [Column("assigned", _l("Ditugaskan"), INT), Column("started", _l("Mulai"), INT),
            Column("completed", _l("Selesai"), INT),
            Column("rate", _l("Tingkat penyelesaian"), PERCENT),
            Column("overdue", _l("Terlambat"), INT),
            Column("average", _l("Nilai rata-rata"), SCORE),
            Column("current", _l("Selesai versi terkini"), INT),
            Column("new_material", _l("Selesai versi lama, ada materi baru"), INT),
            Column("not_completed", _l("Belum selesai"), INT)]


@dataclass
class CompletionReport:
    level: str
    units: ReportTable  # regions, offices or officers, with a total line
    courses: ReportTable  # the same scope per course, with a total line
    trend: ReportTable  # courses completed per week in the same scope
    total: Counts = field(default_factory=Counts)


def _grid(facts: sa.Subquery, unit_column, week) -> tuple[dict, dict[int, int]]:
    """(unit, course) -> Counts, and week index -> completions, from ONE aggregate query
    grouped by unit, course and week of completion (-1: not completed in the trend window)."""
    query = (sa.select(unit_column, facts.c.course_id, week, sa.func.count(),
                       sa.func.sum(facts.c.started), sa.func.sum(facts.c.completed),
                       sa.func.sum(facts.c.overdue), sa.func.sum(facts.c.score_sum),
                       sa.func.sum(facts.c.score_n), sa.func.sum(facts.c.new_material),
                       sa.func.sum(facts.c.complete_now))
             .group_by(unit_column, facts.c.course_id, week))
    grid: dict[object, dict[int, Counts]] = defaultdict(dict)
    weeks: dict[int, int] = defaultdict(int)
    for (unit, course_id, index, assigned, started, completed, overdue, score_sum, score_n,
         new_material, complete_now) in db.session.execute(query):
        cell = grid[unit].setdefault(course_id, Counts())
        cell.add(Counts(int(assigned), int(started or 0), int(completed or 0), int(overdue or 0),
                        float(score_sum or 0), int(score_n or 0), int(new_material or 0),
                        int(complete_now or 0)))
        if index is not None and index >= 0:
            weeks[int(index)] += int(completed or 0)
    return grid, weeks


def _sum(cells) -> Counts:
    total = Counts()
    for counts in cells:
        total.add(counts)
    return total


def published_courses() -> list[tuple[int, str, str]]:
    """(id, slug, title) of the published courses, in catalogue order."""
    return [tuple(row) for row in db.session.execute(
        sa.select(Course.id, Course.slug, Course.title).where(Course.published.is_(True))
        .order_by(Course.position, Course.title))]


def _courses_table(grid, courses, report: ReportFilter, caption) -> tuple[ReportTable, Counts]:
    per_course: dict[int, Counts] = defaultdict(Counts)
    for cells in grid.values():
        for course_id, counts in cells.items():
            per_course[course_id].add(counts)
    table = ReportTable("kursus", caption, [Column("course", _l("Kursus"), TEXT)] + count_columns())
    total = Counts()
    for course_id, _slug, title in courses:
        if report.course_id and course_id != report.course_id:
            continue
        counts = per_course.get(course_id, Counts())
        total.add(counts)
        table.rows.append(ReportRow((title,) + counts.values()))
    table.total = ReportRow((_l("Jumlah"),) + total.values())
    return table, total


def _units(level: str, parent_id: int | None) -> list[tuple[object, tuple, tuple]]:
    """(unit key, label cells, link) for every unit the page lists."""
    if level == NATIONAL:
        rows = db.session.execute(sa.select(Region.id, Region.name, Region.code)
                                  .order_by(Region.name, Region.code)).all()
        return [(rid, (name, code), ("region", rid)) for rid, name, code in rows]
    if level == REGION:
        rows = db.session.execute(sa.select(Office.id, Office.name, Office.code)
                                  .where(Office.region_id == parent_id)
                                  .order_by(Office.name, Office.code)).all()
        return [(oid, (name, code), ("office", oid)) for oid, name, code in rows]
    condition = User.office_id.is_(None) if parent_id == 0 else User.office_id == parent_id
    rows = db.session.execute(sa.select(User.id, User.full_name, User.nip, User.username)
                              .where(User.role == Role.OFFICER.value, User.active.is_(True),
                                     condition)
                              .order_by(User.full_name, User.id)).all()
    return [(uid, (name, nip or username), ("officer", uid)) for uid, name, nip, username in rows]


def _unit_columns(level: str) -> tuple[str, list[Column]]:
    if level == NATIONAL:
        return "kanwil", [Column("name", _l("Kanwil"), TEXT), Column("code", _l("Kode"), TEXT)]
    if level == REGION:
        return "kantor", [Column("name", _l("Kantor Imigrasi"), TEXT),
                          Column("code", _l("Kode"), TEXT)]
    return "petugas", [Column("name", _l("Petugas"), TEXT), Column("nip", _l("NIP"), TEXT)]


def completion_rates(level: str, report: ReportFilter, today: date, tz: str,
                     parent_id: int | None = None) -> CompletionReport:
    """Assigned / started / completed / completion rate / overdue / average score for every unit
    of `level` (national: regions; region: its offices; office: its officers; parent_id 0 at
    office level means officers without an office), and per course in the same scope."""
    start, end = report.bounds(tz)
    scope = {REGION: {"region_id": parent_id}, OFFICE: {"office_id": parent_id}}.get(level, {})
    facts = course_facts(report, today, start, end, **scope)
    unit_column = {NATIONAL: facts.c.region_id, REGION: facts.c.office_id,
                   OFFICE: facts.c.user_id}[level]
    first, last = trend_window(report, today)
    window_start = datetime.combine(first, time(0), ZoneInfo(tz))
    in_window = sa.and_(facts.c.completed == 1, facts.c.completed_at >= window_start)
    week = sa.case((in_window, week_index(facts.c.completed_at, window_start)), else_=-1)
    grid, weeks = _grid(facts, unit_column, week)
    courses = published_courses()
    name, label_columns = _unit_columns(level)
    captions = {NATIONAL: _l("Per Kanwil"), REGION: _l("Per Kantor Imigrasi"),
                OFFICE: _l("Per petugas")}
    units = ReportTable(name, captions[level], label_columns + count_columns())
    total = Counts()
    listed = set()
    for key, labels, link in _units(level, parent_id):
        counts = _sum(grid.get(key, {}).values())
        total.add(counts)
        listed.add(key)
        units.rows.append(ReportRow(labels + counts.values(), link=link))
    if level == NATIONAL and None in grid:  # officers who belong to no office
        counts = _sum(grid[None].values())
        total.add(counts)
        units.rows.append(ReportRow((_l("Tanpa kantor"), "") + counts.values(),
                                    link=("office", 0)))
    units.total = ReportRow((_l("Jumlah"), "") + total.values())
    course_table, _ = _courses_table(grid, courses, report, _l("Per kursus"))
    return CompletionReport(level, units, course_table, _trend_table(first, last, weeks), total)


# --------------------------------------------------------------------------- weekly trend


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def trend_window(report: ReportFilter, today: date) -> tuple[date, date]:
    """Mondays of the first and last week shown: the filter's range, or the last 12 weeks."""
    last = week_start(report.date_to or today)
    first = week_start(report.date_from) if report.date_from else last - timedelta(
        weeks=TREND_WEEKS - 1)
    if (last - first).days // 7 + 1 > MAX_TREND_WEEKS:
        first = last - timedelta(weeks=MAX_TREND_WEEKS - 1)
    return first, last


def _trend_table(first: date, last: date, weeks: dict[int, int]) -> ReportTable:
    """Every week from `first` to `last` (Mondays), with 0 for weeks without completions."""
    table = ReportTable("tren-mingguan", _l("Kursus selesai per minggu"),
                        [Column("week", _l("Minggu mulai"), DATE),
                         Column("completed", _l("Selesai"), INT)])
    for index in range((last - first).days // 7 + 1):
        table.rows.append(ReportRow((first + timedelta(weeks=index), weeks.get(index, 0))))
    table.total = ReportRow((_l("Jumlah"), sum(r.values[1] for r in table.rows)))
    return table
