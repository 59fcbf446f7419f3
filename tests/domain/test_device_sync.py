"""Progress queued on a device: checked whole, applied in the order it happened, once."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.learner.device_sync import BadBatch, apply_batch, parse_batch
from learning.models import Module, ModuleProgress

from ..factories import import_sample_curriculum, make_user

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=timezone.utc)


def _event(id, kind, at, **extra):
    return {"id": id, "module": "contoh/pengantar", "kind": kind, "at": at, **extra}


def test_events_sent_out_of_order_are_applied_in_the_order_they_happened(db):
    import_sample_curriculum()
    user = make_user(username="sari", created_at=NOW - timedelta(days=30))
    batch = parse_batch([_event("done-00001", "done", "2025-03-01T08:02:00+00:00"),
                         _event("beat-00001", "heartbeat", "2025-03-01T08:01:00+00:00", scroll=1),
                         _event("open-00001", "open", "2025-03-01T08:00:00+00:00")])
    result = apply_batch(user, batch, NOW, idle_cap=120)
    assert result.applied == ["open-00001", "beat-00001", "done-00001"]
    row = db.session.scalar(sa.select(ModuleProgress).join(Module).where(Module.slug == "pengantar"))
    assert row.seconds_spent == 120 and row.completed_at == datetime(2025, 3, 1, 8, 2,
                                                                      tzinfo=timezone.utc)
    assert apply_batch(user, batch, NOW, idle_cap=120).seen == [
        "open-00001", "beat-00001", "done-00001"]


def test_times_are_read_as_utc_and_the_future_is_not_believed(db):
    import_sample_curriculum()
    user = make_user(username="sari", created_at=NOW - timedelta(days=30))
    events = parse_batch([_event("open-00002", "open", "2025-03-01T15:00:00+07:00"),
                          _event("done-00002", "done", "2031-01-01T00:00:00")])
    assert events[0].occurred_at == datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)
    assert events[1].occurred_at.tzinfo is not None
    apply_batch(user, events, NOW, idle_cap=120)
    row = db.session.scalar(sa.select(ModuleProgress))
    assert row.completed_at == NOW  # a phone clock in the future is capped at the server's now


@pytest.mark.parametrize("payload, reason", [
    ([_event("x" * 49, "open", "2025-03-01T08:00:00Z")], "id"),
    ([_event("open-00003", "open", "2025-03-01T08:00:00Z", scroll=float("nan"))], "scroll"),
    ([_event("open-00003", "open", "2025-03-01T08:00:00Z", scroll=True)], "scroll"),
    ([{**_event("open-00003", "open", "2025-03-01T08:00:00Z"), "module": "a/b/c"}], "module"),
])
def test_bad_events_name_their_problem(payload, reason):
    with pytest.raises(BadBatch) as error:
        parse_batch(payload)
    assert error.value.reason == reason and error.value.index == 0
