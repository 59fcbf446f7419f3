"""Reading time the server can vouch for.

Time on a module is the gaps between an officer's own events (open, heartbeat, done), each gap
up to the idle cap. Online, the event's time is the server's clock. Offline, the device says when
each event happened, and the server believes only what can really have passed:

* no event in the future (beyond a small clock skew) or before the officer's account existed;
* no event at or before the module's last counted event ("overlap": that time is counted
  already, so a batch sent twice, or two devices, never count twice);
* per module and local day, no more than the wall-clock time between the day's first and last
  counted event, and no more than a cap: `READING_DAY_CAP_FACTOR` × the module's minutes.

Every offline event keeps its verdict, the seconds it claimed (the gap since the device's previous
event of that module, up to the idle cap), what was credited and what was refused; every module
and day keeps the sums (`ReadingDay`), so a trainer sees "12 min credited, 6 h 20 min refused".
Functions add and flush; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from learning.clock import local_date
from learning.extensions import db
from learning.models import Module, ModuleProgress, ReadingDay, User

OK, FUTURE, BEFORE_ACCOUNT, OVERLAP, IDLE = "ok", "future", "before_account", "overlap", "idle"
DAY_CAP, DAY_SPAN = "day_cap", "day_span"
IMPOSSIBLE = (FUTURE, BEFORE_ACCOUNT, OVERLAP)


@dataclass(frozen=True)
class Limits:
    idle_cap: int = 120  # seconds: a longer gap is idle time
    day_cap_factor: float = 3.0  # × the module's minutes, per module and day
    clock_skew: int = 120  # seconds a device clock may run ahead of the server's

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(idle_cap=int(config.get("PROGRESS_IDLE_CAP_SECONDS", 120)),
                   day_cap_factor=float(config.get("READING_DAY_CAP_FACTOR", 3)),
                   clock_skew=int(config.get("READING_CLOCK_SKEW_SECONDS", 120)))

    def day_cap(self, module: Module) -> int:
        return int(self.day_cap_factor * max(module.minutes or 0, 1) * 60)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    claimed: int
    credited: int

    @property
    def refused(self) -> int:
        return self.claimed - self.credited

    @property
    def moves_clock(self) -> bool:
        """Whether the event is believed as a moment (it advances the module's last event)."""
        return self.verdict not in IMPOSSIBLE


def _day_row(user: User, module: Module, day, start: datetime) -> ReadingDay:
    key = (user.id, module.id, day)
    row = db.session.get(ReadingDay, key)
    if row is None:
        row = ReadingDay(user_id=user.id, module_id=module.id, day=day, credited_seconds=0,
                         refused_seconds=0, first_at=start, last_at=start)
        db.session.add(row)
    return row


def impossible(user: User, at: datetime, now: datetime, limits: Limits) -> str | None:
    if at > now + timedelta(seconds=limits.clock_skew):
        return FUTURE
    if user.created_at is not None and at < user.created_at:
        return BEFORE_ACCOUNT
    return None


def judge(user: User, module: Module, row: ModuleProgress | None, at: datetime, *, now: datetime,
          limits: Limits, counts: bool = True, claimed_from: datetime | None = None,
          server_clock: bool = False) -> Verdict:
    """Credit the reading time an event at `at` adds to `row` (the officer's progress on
    `module`), within the rules above. `counts`: False for an "open", which starts the clock but
    claims no time. `claimed_from`: the device's previous event of this module, when it sent one
    (else the module's last counted event). `server_clock`: `at` is the server's own clock (an
    online event), which cannot be in the future nor before the account. Updates `row` and the
    day's ledger."""
    # A new row (or none, for an event not believed): no earlier event to count from.
    last = row.last_active_at if row is not None and row.id is not None else None
    since = claimed_from or last
    claimed = 0
    if counts and since is not None:
        claimed = int(min(max((at - since).total_seconds(), 0), limits.idle_cap))
    reason = None if server_clock else impossible(user, at, now, limits)
    if reason is None and last is not None and at <= last:
        reason = OVERLAP
    if reason is not None:
        if claimed:
            _day_row(user, module, local_date(now), now).refused_seconds += claimed
        return Verdict(reason, claimed, 0)
    assert row is not None, "a believed event has a progress row"
    if not counts or last is None:
        row.last_active_at = at
        return Verdict(OK, 0, 0)
    gap = int((at - last).total_seconds())
    row.last_active_at = at
    if gap > limits.idle_cap:  # the officer was away: the gap is not reading
        if claimed:
            _day_row(user, module, local_date(at), at).refused_seconds += claimed
        return Verdict(IDLE, claimed, 0)
    claimed = max(claimed, gap)
    day = _day_row(user, module, local_date(at), last)
    day.first_at = min(day.first_at, last)
    day.last_at = max(day.last_at, at)
    span_left = int((day.last_at - day.first_at).total_seconds()) - day.credited_seconds
    cap_left = limits.day_cap(module) - day.credited_seconds
    credited = max(min(gap, span_left, cap_left), 0)
    if credited == claimed:
        verdict = OK
    elif credited == gap:  # the device claimed time before the module's last counted event
        verdict = OVERLAP
    else:
        verdict = DAY_CAP if cap_left <= span_left else DAY_SPAN
    day.credited_seconds += credited
    day.refused_seconds += claimed - credited
    row.seconds_spent = (row.seconds_spent or 0) + credited
    return Verdict(verdict, claimed, credited)


@dataclass(frozen=True)
class ReadingSummary:
    credited: int
    refused: int


def reading_summary(user_id: int) -> dict[int, ReadingSummary]:
    """module id -> seconds credited and refused, for one officer (the officer detail report)."""
    rows = db.session.execute(
        sa.select(ReadingDay.module_id, sa.func.sum(ReadingDay.credited_seconds),
                  sa.func.sum(ReadingDay.refused_seconds))
        .where(ReadingDay.user_id == user_id).group_by(ReadingDay.module_id)).all()
    return {module_id: ReadingSummary(int(c or 0), int(r or 0)) for module_id, c, r in rows}
