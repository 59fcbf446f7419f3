"""'Perlu bantuan': officers who need a word from their office, one line per officer and course.

An assigned course puts an officer on the list when any of these holds:

* not started `days` (default 14) or more days after it was first assigned;
* overdue: past its due date and not complete;
* failing: two or more failed attempts on one of its quizzes, and that quiz not passed yet.

Two queries whatever the number of officers: one page of lines with the counts of all lines
(or every line, for an export), and the course names. Lines are ordered by how late, then how stuck, then how long idle.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learning.extensions import db
from learning.models import Attempt, Course, Module, Office, Quiz, Region, User
from learning.models.attempts import SUBMITTED
from .facts import course_facts, officers_of
from .filters import ReportFilter
from .tables import DATE, INT, TEXT, Column, ReportRow, ReportTable

FAILS_NEEDED = 2


def _failing(scope_ids, course_id: int | None) -> sa.Subquery:
    """Per (officer, course): how many quizzes were failed twice or more and never passed."""
    failed = sa.func.sum(sa.case((Attempt.passed.is_(False), 1), else_=0))
    passed = sa.func.sum(sa.case((Attempt.passed.is_(True), 1), else_=0))
    per_quiz = (sa.select(Attempt.user_id, Attempt.quiz_id)
                .where(Attempt.status == SUBMITTED,
                       *([] if scope_ids is None
                         else [Attempt.user_id.in_(scope_ids.scalar_subquery())]))
                .group_by(Attempt.user_id, Attempt.quiz_id)
                .having(sa.and_(failed >= FAILS_NEEDED, passed == 0)).subquery("failing_quiz"))
    query = (sa.select(per_quiz.c.user_id, Module.course_id,
                       sa.func.count().label("quizzes"))
             .select_from(per_quiz).join(Quiz, Quiz.id == per_quiz.c.quiz_id)
             .join(Module, Module.id == Quiz.module_id))
    if course_id is not None:
        query = query.where(Module.course_id == course_id)
    return query.group_by(per_quiz.c.user_id, Module.course_id).subquery("failing")


@dataclass(frozen=True)
class HelpCounts:
    lines: int
    not_started: int
    overdue: int
    failing: int


@dataclass
class HelpList:
    table: ReportTable
    counts: HelpCounts


def help_columns() -> list[Column]:
    return [Column("name", _l("Petugas"), TEXT), Column("nip", _l("NIP"), TEXT),
            Column("office", _l("Kantor Imigrasi"), TEXT), Column("region", _l("Kanwil"), TEXT),
            Column("course", _l("Kursus"), TEXT),
            Column("idle_days", _l("Belum mulai (hari sejak ditugaskan)"), INT),
            Column("due_date", _l("Tenggat"), DATE),
            Column("late_days", _l("Terlambat (hari)"), INT),
            Column("failing", _l("Jumlah kuis yang gagal 2× atau lebih"), INT)]


def officers_needing_help(report: ReportFilter, today: date, now: datetime, days: int, *,
                          region_id: int | None = None, office_id: int | None = None,
                          page: int | None = 1, per_page: int = 100) -> HelpList:
    """The 'perlu bantuan' lines in scope, one page of them (every line when page is None, for the
    exports), and the counts of all lines by reason: ONE query (the counts are window sums over
    every matching line, taken before the page is cut), plus the course names."""
    facts = course_facts(report, today, None, None, region_id=region_id, office_id=office_id)
    failing = _failing(officers_of(region_id=region_id, office_id=office_id), report.course_id)
    not_started = sa.and_(facts.c.started == 0, facts.c.assigned_at <= now - timedelta(days=days))
    overdue = facts.c.overdue == 1
    stuck = sa.and_(failing.c.quizzes.is_not(None), facts.c.complete_now == 0)
    everything = sa.over(sa.func.count())
    total = lambda condition: sa.over(sa.func.sum(sa.case((condition, 1), else_=0)))  # noqa: E731
    idle = sa.case((not_started, facts.c.assigned_at), else_=None)
    late = sa.case((overdue, facts.c.due_date), else_=None)
    query = (sa.select(facts.c.user_id, User.full_name, sa.func.coalesce(User.nip, User.username),
                       Office.name, Region.name, facts.c.course_id, idle, late,
                       sa.func.coalesce(failing.c.quizzes, 0), everything, total(not_started),
                       total(overdue), total(stuck))
             .select_from(facts)
             .join(User, User.id == facts.c.user_id)
             .outerjoin(Office, Office.id == facts.c.office_id)
             .outerjoin(Region, Region.id == facts.c.region_id)
             .outerjoin(failing, sa.and_(failing.c.user_id == facts.c.user_id,
                                         failing.c.course_id == facts.c.course_id))
             .where(sa.or_(not_started, overdue, stuck))
             .order_by(sa.case((overdue, 0), else_=1),
                       sa.func.coalesce(late, date(9999, 12, 31)),
                       sa.func.coalesce(failing.c.quizzes, 0).desc(),
                       facts.c.assigned_at, User.full_name, facts.c.user_id, facts.c.course_id))
    if page is not None:
        query = query.limit(per_page).offset((page - 1) * per_page)
    rows = db.session.execute(query).all()
    titles = dict(db.session.execute(sa.select(Course.id, Course.title)).all())
    table = ReportTable("perlu-bantuan", _l("Perlu bantuan"), help_columns())
    counts = HelpCounts(0, 0, 0, 0)
    for (user_id, name, nip, office, region, course_id, assigned_at, due, failing_n,
         lines, idle_n, late_n, stuck_n) in rows:
        counts = HelpCounts(int(lines), int(idle_n or 0), int(late_n or 0), int(stuck_n or 0))
        idle_days = (now - assigned_at).days if assigned_at is not None else None
        late_days = (today - due).days if due is not None else None
        table.rows.append(ReportRow(
            (name, nip, office or "", region or "", titles.get(course_id, ""), idle_days,
             due, late_days, int(failing_n) or None), link=("officer", user_id)))
    return HelpList(table, counts)
