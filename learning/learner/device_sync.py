"""Progress made on a device while offline, sent in one batch when the connection returns.

A phone queues its events (module opened, reading heartbeat, marked done), each with an id it
generated itself. The batch is checked whole before anything is applied; then each event goes
through `progress.apply_device_event`, which keeps the id, so a batch sent twice counts once.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Course, Module, User
from .progress import apply_device_event
from .reading_time import Limits

MAX_EVENTS = 200
KINDS = ("open", "heartbeat", "done")
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,48}$")
MODULE_KEY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_-]{0,79})/([A-Za-z0-9][A-Za-z0-9_-]{0,79})$")


class BadBatch(ValueError):
    """The batch cannot be applied. `reason` names the problem; `index` the event, if one."""

    def __init__(self, reason: str, index: int | None = None):
        super().__init__(reason if index is None else f"{reason} (event {index})")
        self.reason = reason
        self.index = index


@dataclass(frozen=True)
class DeviceEvent:
    client_id: str
    course_slug: str
    module_slug: str
    kind: str
    occurred_at: datetime
    scroll: float | None = None

    @property
    def module_key(self) -> str:
        return f"{self.course_slug}/{self.module_slug}"


@dataclass
class SyncResult:
    applied: list[str] = field(default_factory=list)   # new events, counted now
    seen: list[str] = field(default_factory=list)      # sent before: counted already
    dropped: list[str] = field(default_factory=list)   # module gone (retired/unpublished): ignored


def _parse_time(value, index: int) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise BadBatch("at", index)
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadBatch("at", index) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _parse_scroll(value, index: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadBatch("scroll", index)
    scroll = float(value)
    if math.isnan(scroll) or not 0.0 <= scroll <= 1.0:
        raise BadBatch("scroll", index)
    return scroll


def parse_batch(payload) -> list[DeviceEvent]:
    """Check a decoded JSON batch: a list (or {"events": [...]}) of event objects."""
    if isinstance(payload, dict) and set(payload) == {"events"}:
        payload = payload["events"]
    if not isinstance(payload, list):
        raise BadBatch("not_list")
    if len(payload) > MAX_EVENTS:
        raise BadBatch("too_many")
    events = []
    for index, item in enumerate(payload):
        if not isinstance(item, dict):
            raise BadBatch("not_object", index)
        client_id = item.get("id")
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
            raise BadBatch("id", index)
        key = item.get("module")
        match = MODULE_KEY.match(key) if isinstance(key, str) else None
        if match is None:
            raise BadBatch("module", index)
        kind = item.get("kind")
        if kind not in KINDS:
            raise BadBatch("kind", index)
        events.append(DeviceEvent(client_id=client_id, course_slug=match.group(1),
                                  module_slug=match.group(2), kind=kind,
                                  occurred_at=_parse_time(item.get("at"), index),
                                  scroll=_parse_scroll(item.get("scroll"), index)))
    return events


def _live_modules(keys: set[tuple[str, str]]) -> dict[str, Module]:
    if not keys:
        return {}
    rows = db.session.execute(
        sa.select(Course.slug, Module)
        .join(Module, Module.course_id == Course.id)
        .where(Course.published.is_(True), Module.is_live,
               Course.slug.in_({c for c, _ in keys}), Module.slug.in_({m for _, m in keys}))
    ).all()
    return {f"{course_slug}/{module.slug}": module for course_slug, module in rows}


def stored_event_id(user: User, client_id: str) -> str:
    """Ids are the device's own, kept per user so one officer's ids never clash with another's."""
    return f"u{user.id}:{client_id}"


def apply_batch(user: User, events: list[DeviceEvent], now: datetime,
                idle_cap: int, limits: Limits | None = None) -> SyncResult:
    """Apply the events in the order they happened; each id counts once, ever. Each event's
    reading time is judged by learning.learner.reading_time, claimed from the device's previous
    event of the same module."""
    limits = limits or Limits(idle_cap=idle_cap)
    modules = _live_modules({(e.course_slug, e.module_slug) for e in events})
    result = SyncResult()
    previous: dict[str, datetime] = {}
    for event in sorted(events, key=lambda e: e.occurred_at):
        module = modules.get(event.module_key)
        if module is None:
            result.dropped.append(event.client_id)
            continue
        fresh = apply_device_event(user, module, event_id=stored_event_id(user, event.client_id),
                                   kind=event.kind, occurred_at=event.occurred_at, now=now,
                                   idle_cap=limits.idle_cap, scroll=event.scroll, limits=limits,
                                   claimed_from=previous.get(event.module_key))
        previous[event.module_key] = event.occurred_at
        (result.applied if fresh else result.seen).append(event.client_id)
    return result
