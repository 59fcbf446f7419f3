"""The xAPI outbox without an LRS: statements written with their event (and rolled back with it),
only for officers, only when an LRS is configured; backfill with the same ids; claims, backoff."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner import progress
from learning.models import Course, XapiStatement, utcnow
from learning.xapi import statements as xs
from learning.xapi.outbox import LrsClient, _claim, backoff, send_pending
from learning.xapi.recording import backfill

from ..factories import import_sample_curriculum, make_user

T0 = datetime(2026, 11, 1, 20, 0, tzinfo=timezone.utc)


@pytest.fixture
def configured(app):
    saved = app.config.get("XAPI_ENDPOINT"), app.config.get("SITE_URL")
    app.config.update(XAPI_ENDPOINT="http://127.0.0.1:9/xAPI", SITE_URL="https://lms.test/")
    yield app
    app.config.update(XAPI_ENDPOINT=saved[0], SITE_URL=saved[1])


@pytest.fixture
def course(db):
    import_sample_curriculum()
    return db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))


def outbox(db) -> list[XapiStatement]:
    return list(db.session.scalars(sa.select(XapiStatement).order_by(XapiStatement.id)))


def test_a_completion_writes_its_statements_in_the_same_transaction(db, configured, course):
    officer = make_user()
    module = course.live_modules[0]
    progress.complete_module(officer, module, T0)
    db.session.rollback()  # the event is undone: so are its statements
    assert outbox(db) == []
    progress.complete_module(officer, module, T0)
    db.session.commit()
    rows = outbox(db)
    assert [r.verb for r in rows] == ["experienced", "completed"]
    completed = rows[1].statement
    assert completed["actor"] == {"objectType": "Agent", "account": {
        "homePage": "https://lms.test/", "name": str(officer.id)}}
    assert completed["object"]["id"] == f"https://lms.test/courses/contoh/{module.slug}"
    assert completed["timestamp"] == "2026-11-01T20:00:00.000Z"
    assert completed["context"]["extensions"] == {
        "https://lms.test/xapi/extensions/module-revision": module.published_revision_id}
    assert completed["context"]["contextActivities"]["parent"][0]["id"] == \
        "https://lms.test/courses/contoh/"
    # completing a done module again is no new event
    progress.complete_module(officer, module, T0 + timedelta(hours=1))
    db.session.commit()
    assert len(outbox(db)) == 2


def test_nothing_is_recorded_without_an_lrs_or_for_staff(app, db, course, configured):
    trainer = make_user(role="trainer")
    progress.complete_module(trainer, course.live_modules[0], T0)
    db.session.commit()
    assert outbox(db) == []
    app.config["XAPI_ENDPOINT"] = ""
    progress.complete_module(make_user(), course.live_modules[0], T0)
    db.session.commit()
    assert outbox(db) == []


def test_backfill_replays_history_with_the_same_ids(app, db, course, configured):
    officer = make_user()
    for i, module in enumerate(course.live_modules):
        progress.complete_module(officer, module, T0 + timedelta(minutes=i))
    db.session.commit()
    live = {r.statement_id: r.statement for r in outbox(db)}
    assert sorted(r.verb for r in outbox(db)) == sorted(
        ["experienced"] * 3 + ["completed"] * 4 + ["earned"])
    built, stored = backfill(db.session.connection(), T0 - timedelta(days=1))
    assert (built, stored) == (8, 0)  # every one already there
    db.session.execute(sa.delete(XapiStatement))
    built, stored = backfill(db.session.connection(), T0 - timedelta(days=1))
    db.session.commit()
    assert (built, stored) == (8, 8)
    assert {r.statement_id: r.statement for r in outbox(db)} == live
    assert backfill(db.session.connection(), T0 + timedelta(days=1)) == (0, 0)


def test_two_runs_never_claim_the_same_statement(db, course, configured):
    officer = make_user()
    for module in course.live_modules:
        progress.complete_module(officer, module, T0)
    db.session.commit()
    now = utcnow() + timedelta(seconds=1)
    first_token, first = _claim(now, 3)
    second_token, second = _claim(now, 100)
    assert len(first) == 3 and first_token != second_token
    assert not set(first) & set(second) and len(first) + len(second) == len(outbox(db))
    assert _claim(now, 100)[1] == []
    assert _claim(now + timedelta(minutes=16), 100)[1]  # a dead run's claim lapses


def test_an_unreachable_lrs_defers_with_growing_backoff(db, course, configured):
    progress.complete_module(make_user(), course.live_modules[0], T0)
    db.session.commit()
    client = LrsClient(endpoint="http://127.0.0.1:9/xAPI", timeout=2)  # nothing listens
    now = utcnow() + timedelta(seconds=1)
    report = send_pending(client, now=now)
    assert (report.sent, report.deferred) == (0, 2) and "refused" in report.errors[0].lower()
    assert all(r.status == "pending" and r.attempts == 1 and r.next_attempt_at == now +
               timedelta(minutes=1) for r in outbox(db))
    assert send_pending(client, now=now + timedelta(seconds=30)).deferred == 0  # not due
    send_pending(client, now=now + timedelta(minutes=1))
    assert all(r.attempts == 2 and r.next_attempt_at == now + timedelta(minutes=3)
               for r in outbox(db))
    assert [backoff(n) for n in (1, 2, 3, 10, 30)] == [
        timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4), timedelta(hours=6),
        timedelta(hours=6)]


def test_statement_pieces():
    assert xs.duration(754.256) == "PT754.26S" and xs.duration(60) == "PT60S"
    assert xs.stamp(datetime(2026, 1, 2, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=7)))
                    ) == "2026-01-02T03:00:00.123Z"
    assert xs.statement_id("a", 1) == xs.statement_id("a", 1) != xs.statement_id("a", 2)


def test_the_commands_without_an_lrs(app, db, runner, course):
    app.config["XAPI_ENDPOINT"] = ""
    result = runner.invoke(args=["xapi", "send"])
    assert result.exit_code == 0 and "XAPI_ENDPOINT is not set" in result.output
    assert "statements pending: 0" in result.output
    bad = runner.invoke(args=["xapi", "backfill", "--since", "kemarin"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    officer = make_user()
    progress.complete_module(officer, course.live_modules[0], T0)
    db.session.commit()
    assert outbox(db) == []  # recording was off; the history can still be replayed
    done = runner.invoke(args=["xapi", "backfill", "--since", "2026-11-01"])
    assert "2 statements; new in the outbox: 2; already there: 0" in done.output
    # statements waiting while no LRS is configured any more: said, and exit 1
    waiting = runner.invoke(args=["xapi", "send"])
    assert waiting.exit_code == 1 and "statements pending: 2" in waiting.output
    assert "pending: 2" in runner.invoke(args=["xapi", "status"]).output


def test_statements_sent_long_ago_leave_the_outbox(db, course, configured):
    from learning.xapi.outbox import prune_sent
    progress.complete_module(make_user(), course.live_modules[0], T0)
    db.session.commit()
    first, second = outbox(db)
    first.status, first.sent_at = "sent", utcnow() - timedelta(days=91)
    second.status, second.sent_at = "sent", utcnow() - timedelta(days=89)
    db.session.commit()
    assert prune_sent(utcnow() - timedelta(days=90)) == 1
    assert [r.id for r in outbox(db)] == [second.id]
