"""Time spent is what the server can vouch for: one sync carrying 200 back-dated and future
heartbeats credits at most the possible time; the rest is refused with reasons; nothing counts
twice; online heartbeats follow the same cap."""
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner import progress
from learning.learner.device_sync import MAX_EVENTS, apply_batch, parse_batch
from learning.learner.reading_time import Limits, reading_summary
from learning.models import Module, ModuleProgress, ProgressEvent, ReadingDay

from ..factories import import_sample_curriculum, make_user

NOW = datetime(2026, 12, 2, 5, 0, tzinfo=timezone.utc)  # 12:00 in Jakarta
LIMITS = Limits(idle_cap=120, day_cap_factor=3, clock_skew=120)


@pytest.fixture
def officer(db):
    import_sample_curriculum()
    module = db.session.scalar(sa.select(Module).where(Module.slug == "pengantar"))
    user = make_user(username="sari", created_at=NOW - timedelta(days=2))
    return user, module


def _beats(prefix, start, count, step=119):
    return [{"id": f"{prefix}-{i:05d}", "module": "contoh/pengantar", "kind": "heartbeat",
             "at": (start + timedelta(seconds=step * i)).isoformat()} for i in range(count)]


def forged_batch():
    """40 heartbeats before the account existed, 80 yesterday 119 s apart (2 h 37 min claimed on
    a 5-minute module), 80 tomorrow: 200 events, the most one sync may carry."""
    return (_beats("before", NOW - timedelta(days=4), 40)
            + _beats("yday", NOW - timedelta(days=1), 80)
            + _beats("future", NOW + timedelta(days=1), 80))


def test_two_hundred_forged_heartbeats_credit_only_the_possible_time(db, officer):
    user, module = officer
    batch = forged_batch()
    assert len(batch) == MAX_EVENTS
    result = apply_batch(user, parse_batch(batch), NOW, LIMITS.idle_cap, LIMITS)
    assert len(result.applied) == 200
    events = db.session.scalars(sa.select(ProgressEvent)).all()
    verdicts = Counter(e.verdict for e in events)
    assert verdicts["before_account"] == 40 and verdicts["future"] == 80
    assert verdicts["ok"] + verdicts["day_cap"] == 80
    cap = LIMITS.day_cap(module)
    assert module.minutes == 5 and cap == 15 * 60
    credited = sum(e.credited_seconds for e in events)
    refused = sum(e.refused_seconds for e in events)
    row = db.session.scalar(sa.select(ModuleProgress))
    assert credited == row.seconds_spent == cap  # 15 min of 2 h 37 min claimed that day
    claimed_yesterday = 79 * 119
    assert refused == (claimed_yesterday - cap) + 39 * 119 + (120 + 79 * 119)
    assert all(e.credited_seconds == 0 for e in events if e.verdict in ("future", "before_account"))
    assert all(e.credited_seconds < e.refused_seconds + e.credited_seconds
               for e in events if e.verdict == "day_cap")
    # The day's ledger says the same; a trainer reads it per module.
    days = db.session.scalars(sa.select(ReadingDay)).all()
    assert sum(d.credited_seconds for d in days) == cap
    assert sum(d.refused_seconds for d in days) == refused
    assert reading_summary(user.id)[module.id].credited == cap
    # Sent again: every event is known, nothing counted twice.
    again = apply_batch(user, parse_batch(batch), NOW + timedelta(minutes=5), 120, LIMITS)
    assert len(again.seen) == 200 and not again.applied
    db.session.expire_all()
    assert db.session.scalar(sa.select(ModuleProgress.seconds_spent)) == cap


def test_honest_offline_reading_is_credited_in_full(db, officer):
    user, module = officer
    start = NOW - timedelta(hours=3)
    batch = [{"id": "open-00001", "module": "contoh/pengantar", "kind": "open",
              "at": start.isoformat()}] + _beats("read", start + timedelta(seconds=60), 5, 60)
    apply_batch(user, parse_batch(batch), NOW, 120, LIMITS)
    row = db.session.scalar(sa.select(ModuleProgress))
    assert row.seconds_spent == 5 * 60
    assert {e.verdict for e in db.session.scalars(sa.select(ProgressEvent))} == {"ok"}
    # A second device (or a resend under new ids) replaying the same minutes: refused as overlap.
    replay = _beats("again", start + timedelta(seconds=60), 5, 60)
    apply_batch(user, parse_batch(replay), NOW, 120, LIMITS)
    db.session.expire_all()
    assert db.session.scalar(sa.select(ModuleProgress.seconds_spent)) == 5 * 60
    assert Counter(e.verdict for e in db.session.scalars(
        sa.select(ProgressEvent).where(ProgressEvent.event_id.like("%again%")))) == {"overlap": 5}


def test_online_heartbeats_follow_the_same_daily_cap(db, officer):
    user, module = officer
    progress.record_open(user, module, NOW)
    for minute in range(1, 31):  # 30 minutes of heartbeats a minute apart on a 5-minute module
        progress.record_heartbeat(user, module, NOW + timedelta(minutes=minute), 120,
                                  limits=LIMITS)
    row = db.session.scalar(sa.select(ModuleProgress))
    assert row.seconds_spent == 15 * 60
    day = db.session.scalar(sa.select(ReadingDay))
    assert (day.credited_seconds, day.refused_seconds) == (15 * 60, 15 * 60)
