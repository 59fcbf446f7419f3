"""Who is reminded of what, without sending anything."""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner import progress
from learning.certificates import refresher
from learning.certificates import reminders as r
from learning.extensions import db as _db
from learning.models import Assignment, Course

from ..factories import import_sample_curriculum, make_office, make_user

NOW = datetime(2026, 11, 10, 1, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 10)


@pytest.fixture
def course(db):
    import_sample_curriculum()
    return db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))


def assign(course, due, created=NOW, **scope):
    kind = next(iter(scope)) if scope else "all"
    db_scope = {"region": "region_id", "office": "office_id", "user": "user_id"}
    values = {db_scope[kind]: scope[kind].id} if scope else {}
    assignment = Assignment(course_id=course.id, scope=kind, due_date=due, created_at=created,
                            **values)
    _db.session.add(assignment)
    _db.session.flush()
    return assignment


def planned(stage=None):
    result = r.plan_reminders(NOW, TODAY)
    return {(p.recipient.name, p.stage, p.period_key) for p in result
            if stage is None or p.stage == stage}


def test_the_most_specific_then_newest_assignment_sets_the_due_date(db, course):
    office = make_office()
    other = make_office("KANIM-TRK", "Kantor Imigrasi Tarakan", "KALTARA", "Kanwil Kaltara")
    ani = make_user(full_name="Ani", office=office)
    budi = make_user(full_name="Budi", office=office)
    cici = make_user(full_name="Cici", office=other)
    make_user(full_name="Dodo", office=other, active=False)
    assign(course, TODAY + timedelta(days=3))  # everyone: due soon
    assign(course, TODAY + timedelta(days=30), office=office)  # but this office: later
    assign(course, TODAY - timedelta(days=1), user=ani)  # and Ani: overdue
    assign(course, TODAY + timedelta(days=5), created=NOW - timedelta(days=1), region=other.region)
    assign(course, TODAY + timedelta(days=6), created=NOW, region=other.region)  # newer wins
    due = r.effective_due_dates()
    assert due[(ani.id, course.id)] == TODAY - timedelta(days=1)
    assert due[(budi.id, course.id)] == TODAY + timedelta(days=30)
    assert due[(cici.id, course.id)] == TODAY + timedelta(days=6)
    assert len(due) == 3  # not the inactive officer
    assert planned() >= {("Ani", r.OVERDUE, "2026-11-09"), ("Cici", r.DUE_SOON, "2026-11-16")}
    assert not any(name == "Budi" for name, _, _ in planned())


def test_complete_courses_and_distant_deadlines_are_not_reminded(db, course):
    done, later = make_user(full_name="Selesai"), make_user(full_name="Nanti")
    for user, days in ((done, 2), (later, 8)):
        assign(course, TODAY + timedelta(days=days), user=user)
    for module in course.live_modules:
        progress.complete_module(done, module, NOW)
    assert planned(r.DUE_SOON) == set() and planned(r.OVERDUE) == set()


def test_only_overdue_is_essential_and_the_summary_goes_to_each_admin_weekly(db, course):
    officer = make_user(full_name="Ani")
    make_user(role="admin", full_name="Admin")
    assign(course, TODAY, user=officer)
    result = r.plan_reminders(NOW, TODAY)
    stages = {p.stage: p for p in result}
    assert not stages[r.DUE_SOON].essential and stages[r.DUE_SOON].period_key == "2026-11-10"
    summary = stages[r.SUMMARY]
    assert summary.period_key == r.iso_week(TODAY) == "2026-W46" and not summary.essential
    assert summary.summary.rows[0].due_soon == 1 and summary.topic == "summary"
    overdue = r.plan_reminders(NOW + timedelta(days=1), TODAY + timedelta(days=1))
    assert {p.stage for p in overdue if p.recipient.name == "Ani"} == {r.OVERDUE}
    assert all(p.essential for p in overdue if p.stage == r.OVERDUE)


def test_refresher_reminder_until_the_refresher_is_opened(db, course):
    officer = make_user(full_name="Ani")
    for module in course.live_modules:
        progress.complete_module(officer, module, datetime(2024, 12, 1, tzinfo=timezone.utc))
    assert planned(r.REFRESHER) == {("Ani", r.REFRESHER, "2026-12-01")}
    refresher.start_refresher_early(officer, course, NOW, TODAY)
    assert planned(r.REFRESHER) == set()
    assert planned(r.DUE_SOON) == set()  # due 1 December: more than 7 days away
    later = r.plan_reminders(NOW + timedelta(days=20), TODAY + timedelta(days=20))
    assert {(p.stage, p.period_key) for p in later if p.recipient.name == "Ani"} == {
        (r.DUE_SOON, "2026-12-01")}
