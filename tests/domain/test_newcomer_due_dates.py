"""Newcomers are not born late: an everyone/region/office assignment gives an officer who comes
under it later (a new account, or a move) as long to finish as the first officers had, counted
from the day they came under it; "Belum mulai N hari" counts from then too. The dashboard, the
reports, "Perlu bantuan" and the reminders all read the same dates."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.admin import assignments, coverage
from learning.certificates.reminders import effective_due_dates
from learning.clock import today as local_today
from learning.extensions import db as _db
from learning.models import Course, User
from learning.reports import attention
from learning.reports.facts import course_facts
from learning.reports.filters import ReportFilter

from ..factories import import_sample_curriculum, make_office, make_user

PERIOD = 30  # days the first officers had


@pytest.fixture
def late_assignment(db):
    """A region-wide assignment made 60 days ago, due 30 days ago: its period has passed."""
    import_sample_curriculum()
    btl = make_office("KANIM-BTL", "Kantor Imigrasi Batulicin", "KALSEL", "Kanwil Kalsel")
    mtr = make_office("KANIM-MTR", "Kantor Imigrasi Mataram", "NTB", "Kanwil NTB")
    course = db.session.scalar(sa.select(Course))
    today = local_today()
    made = datetime.now(timezone.utc) - timedelta(days=60)
    veteran = make_user(username="veteran", office=btl, created_at=made - timedelta(days=30))
    [assignment] = assignments.assign_course(course, "region", today=today - timedelta(days=60),
                                             region=btl.region,
                                             due_date=today - timedelta(days=PERIOD))
    assignment.created_at = made
    db.session.commit()
    assert assignment.period_days == PERIOD
    return course, {"btl": btl, "mtr": mtr}, veteran, assignment


def _due(user, course):
    return assignments.assigned_due_dates(user)[course.id][0]


def _overdue_on(user, day):
    return [item.overdue for item in assignments.dashboard_progress(user, day) if item.assigned]


def test_a_new_officer_is_not_overdue_on_day_one_and_is_late_exactly_after_their_period(
        db, late_assignment):
    course, offices, veteran, _ = late_assignment
    today = local_today()
    newcomer = make_user(username="baru", office=offices["btl"])
    assert _due(veteran, course) == today - timedelta(days=PERIOD)
    assert _due(newcomer, course) == today + timedelta(days=PERIOD)
    assert _overdue_on(veteran, today) == [True]
    assert _overdue_on(newcomer, today) == [False]
    assert _overdue_on(newcomer, today + timedelta(days=PERIOD)) == [False]
    assert _overdue_on(newcomer, today + timedelta(days=PERIOD + 1)) == [True]
    # The reminders and the reports read the same dates.
    assert effective_due_dates()[(newcomer.id, course.id)] == today + timedelta(days=PERIOD)
    facts = course_facts(ReportFilter(), today, None, None)
    overdue = dict(_db.session.execute(sa.select(facts.c.user_id, facts.c.overdue)).all())
    assert overdue == {veteran.id: 1, newcomer.id: 0}
    facts = course_facts(ReportFilter(), today + timedelta(days=PERIOD + 1), None, None)
    overdue = dict(_db.session.execute(sa.select(facts.c.user_id, facts.c.overdue)).all())
    assert overdue == {veteran.id: 1, newcomer.id: 1}


def test_perlu_bantuan_counts_days_from_when_the_officer_was_covered(db, late_assignment):
    course, offices, veteran, _ = late_assignment
    newcomer = make_user(username="baru", office=offices["btl"])
    today, now = local_today(), datetime.now(timezone.utc)
    help_list = attention.officers_needing_help(ReportFilter(), today, now, 14)
    lines = {row.values[0]: row.values for row in help_list.table.rows}
    assert set(lines) == {veteran.full_name}  # the newcomer is neither idle 14 days nor late
    assert lines[veteran.full_name][5] >= 59 and lines[veteran.full_name][7] == PERIOD
    assert help_list.counts.overdue == 1 and help_list.counts.not_started == 1
    # Fifteen days on, the newcomer is idle 15 days, not 75; overdue only after day 30.
    later = attention.officers_needing_help(ReportFilter(), today + timedelta(days=15),
                                            now + timedelta(days=15), 14)
    lines = {row.values[0]: row.values for row in later.table.rows}
    assert lines[newcomer.full_name][5] == 15 and lines[newcomer.full_name][7] is None
    late = attention.officers_needing_help(ReportFilter(), today + timedelta(days=PERIOD + 1),
                                           now + timedelta(days=PERIOD + 1), 14)
    lines = {row.values[0]: row.values for row in late.table.rows}
    assert lines[newcomer.full_name][7] == 1 and late.counts.overdue == 2


def test_an_officer_moved_into_the_region_gets_their_own_period(db, late_assignment):
    course, offices, _, _ = late_assignment
    today = local_today()
    old_hand = make_user(username="pindahan", office=offices["mtr"],
                         created_at=datetime.now(timezone.utc) - timedelta(days=400))
    assert course.id not in assignments.assigned_due_dates(old_hand)
    old_hand.office_id = offices["btl"].id
    _db.session.commit()
    assert old_hand.office_since is not None and old_hand.region_since is not None
    assert _due(old_hand, course) == today + timedelta(days=PERIOD)
    assert _overdue_on(old_hand, today) == [False]


def test_newcomer_days_set_on_the_assignment_win(db, late_assignment):
    course, offices, veteran, assignment = late_assignment
    assignment.newcomer_days = 10
    _db.session.commit()
    newcomer = make_user(username="baru", office=offices["btl"])
    today = local_today()
    assert _due(newcomer, course) == today + timedelta(days=10)
    assert _due(veteran, course) == today - timedelta(days=PERIOD)  # first officers: unchanged


def test_a_move_within_the_region_does_not_restart_the_region_period(db, late_assignment):
    course, offices, veteran, _ = late_assignment
    other = _db.session.scalar(sa.select(User).where(User.id == veteran.id))
    from learning.models import Office
    sibling = Office(code="KANIM-BDJ", name="Kantor Imigrasi Banjarmasin",
                     region_id=offices["btl"].region_id)
    _db.session.add(sibling)
    _db.session.flush()
    other.office_id = sibling.id
    _db.session.commit()
    assert other.office_since is not None and other.region_since is None
    assert _due(other, course) == local_today() - timedelta(days=PERIOD)
    pairs = coverage.assigned_pairs(user_id=other.id)
    assert _db.session.execute(sa.select(pairs.c.due_date)).scalar() == (
        local_today() - timedelta(days=PERIOD))
