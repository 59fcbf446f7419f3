"""Progress rules, without HTTP."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner import progress
from learning.models import Course, Module, ModuleProgress

from ..factories import import_sample_curriculum, make_user

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
CAP = 120


@pytest.fixture
def setup(db):
    import_sample_curriculum()
    user = make_user(created_at=T0 - timedelta(days=30))
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    return user, course, {m.slug: m for m in course.modules}


def test_open_then_heartbeats_count_only_active_time(db, setup):
    user, _, modules = setup
    m = modules["pengantar"]
    progress.record_open(user, m, T0)
    progress.record_heartbeat(user, m, T0 + timedelta(seconds=30), CAP)
    progress.record_heartbeat(user, m, T0 + timedelta(seconds=60), CAP)
    row = progress.record_heartbeat(user, m, T0 + timedelta(hours=5), CAP)  # idle tab
    assert row.seconds_spent == 60
    row = progress.record_heartbeat(user, m, T0 + timedelta(hours=5, seconds=30), CAP, scroll=0.5)
    assert row.seconds_spent == 90 and row.scroll_position == 0.5


def test_repeated_heartbeat_at_the_same_moment_counts_once(db, setup):
    user, _, modules = setup
    m = modules["pengantar"]
    progress.record_open(user, m, T0)
    for _ in range(3):
        row = progress.record_heartbeat(user, m, T0 + timedelta(seconds=40), CAP)
    assert row.seconds_spent == 40


def test_mark_done_is_idempotent_and_keeps_first_time(db, setup):
    user, _, modules = setup
    m = modules["pengantar"]
    progress.record_open(user, m, T0)
    first = progress.mark_done(user, m, T0 + timedelta(seconds=50), CAP)
    assert first.completed_at == T0 + timedelta(seconds=50)
    again = progress.mark_done(user, m, T0 + timedelta(seconds=90), CAP)
    assert again.completed_at == T0 + timedelta(seconds=50)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 1


def test_module_with_quiz_cannot_be_marked_done_by_button(db, setup):
    user, _, modules = setup
    with pytest.raises(progress.CompletionRefused):
        progress.mark_done(user, modules["unsur"], T0, CAP)


def test_course_progress_counts_done_modules_and_resume_point(db, setup):
    user, course, modules = setup
    other = make_user()
    progress.record_open(user, modules["pengantar"], T0)
    progress.mark_done(user, modules["pengantar"], T0 + timedelta(seconds=10), CAP)
    progress.record_open(user, modules["penutup"], T0 + timedelta(minutes=5))
    progress.record_heartbeat(user, modules["penutup"], T0 + timedelta(minutes=6), CAP, scroll=0.4)
    progress.mark_done(other, modules["penutup"], T0, CAP)  # someone else's progress
    [summary] = progress.courses_progress(user, [course])
    assert (summary.total, summary.done, summary.started) == (3, 1, 2)
    assert summary.percent == 33 and summary.state == progress.IN_PROGRESS
    assert summary.resume_module.slug == "penutup" and summary.resume_scroll == 0.4
    states = progress.module_states(user, course)
    assert states == {modules["pengantar"].id: "done", modules["unsur"].id: "not_started",
                      modules["penutup"].id: "in_progress"}


def test_retired_module_leaves_the_total_but_keeps_history(db, setup):
    user, course, modules = setup
    progress.mark_done(user, modules["penutup"], T0, CAP)
    modules["penutup"].retired_at = T0
    db.session.flush()
    [summary] = progress.courses_progress(user, [course])
    assert summary.total == 2 and summary.done == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleProgress)) == 1


def test_device_event_counts_once(db, setup):
    user, _, modules = setup
    m = modules["pengantar"]
    kwargs = dict(event_id="dev-1-abc", kind="done", occurred_at=T0, now=T0 + timedelta(hours=1),
                  idle_cap=CAP)
    assert progress.apply_device_event(user, m, **kwargs) is True
    assert progress.apply_device_event(user, m, **kwargs) is False
    row = db.session.scalar(sa.select(ModuleProgress))
    assert row.completed_at == T0
