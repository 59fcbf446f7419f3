"""Attendance: the organiser's signed, rotating QR code, check-in by scanning it (at once or
queued on a phone without signal), and the organiser's tick list.

The code. The organiser's screen shows a QR code for the URL ``/events/<id>/check-in?code=X``
where X is the first 8 base32 characters of HMAC-SHA256(app secret + event key,
"<event id>:<slot>") and a slot is a 2-minute period. The screen refreshes every slot, so a
photograph of the code forwarded to someone who is not in the room stops working within
minutes. The code is also printed as text for a phone that cannot scan.

A check-in is accepted when:
* the code is the event's code for the slot of the moment it was scanned, or a slot next to it;
* that moment lies inside the session (from `EARLY` before the start to the end);
* the officer is invited, and has not checked in already (the UNIQUE key on (event, officer)
  makes a second check-in, however it races, a refusal and never a second count).
A check-in queued offline carries the time it was scanned and the officer it was scanned for;
it is sent when the signal returns (within `QUEUE_GRACE` of the end) and refused when it names
another officer than the one signed in: a queued check-in copied from a colleague's phone.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from learning import audit
from learning.audit import record
from learning.extensions import db
from learning.models import EventAttendance, TrainingEvent, User
from .planning import is_invited

SLOT_SECONDS = 120
EARLY = timedelta(minutes=30)
QUEUE_GRACE = timedelta(days=2)
CLOCK_SKEW = timedelta(minutes=2)
QR, QR_QUEUED, ORGANISER = "qr", "qr_queued", "organiser"


class CheckInRefused(Exception):
    """Why a check-in was refused: code is one of the REASONS below."""

    REASONS = ("bad_code", "too_early", "too_late", "not_invited", "already", "other_officer",
               "future", "cancelled", "queue_expired")

    def __init__(self, code: str, attendance: EventAttendance | None = None):
        assert code in self.REASONS
        self.code, self.attendance = code, attendance
        super().__init__(code)


@dataclass(frozen=True)
class CheckInResult:
    attendance: EventAttendance
    queued: bool


def _slot(moment: datetime) -> int:
    return int(moment.timestamp()) // SLOT_SECONDS


def code_for(event: TrainingEvent, secret: str, slot: int) -> str:
    mac = hmac.new(f"{secret}:{event.qr_key}".encode(), f"{event.id}:{slot}".encode(),
                   hashlib.sha256).digest()
    return base64.b32encode(mac).decode()[:8]


def current_code(event: TrainingEvent, secret: str, now: datetime) -> str:
    return code_for(event, secret, _slot(now))


def seconds_left_in_slot(now: datetime) -> int:
    return SLOT_SECONDS - int(now.timestamp()) % SLOT_SECONDS


def normalise_code(text: str) -> str:
    """What a person typed: spaces and dashes dropped, upper case, 0/1 read as O/I (base32)."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.replace("0", "O").replace("1", "I")[:16]


def code_matches(event: TrainingEvent, secret: str, code: str, scanned_at: datetime) -> bool:
    code = normalise_code(code)
    if len(code) != 8:
        return False
    slot = _slot(scanned_at)
    return any(hmac.compare_digest(code, code_for(event, secret, s))
               for s in (slot - 1, slot, slot + 1))


def in_session(event: TrainingEvent, moment: datetime) -> str | None:
    """None when `moment` lies inside the check-in window, else "too_early" or "too_late"."""
    if moment < event.starts_at - EARLY:
        return "too_early"
    if moment > event.ends_at:
        return "too_late"
    return None


def attendance_of(event: TrainingEvent, user: User) -> EventAttendance | None:
    return db.session.scalar(sa.select(EventAttendance).where(
        EventAttendance.event_id == event.id, EventAttendance.user_id == user.id))


def _add(event: TrainingEvent, user: User, at: datetime, now: datetime, method: str,
         recorded_by: User | None) -> EventAttendance:
    existing = attendance_of(event, user)
    if existing is not None:
        raise CheckInRefused("already", existing)
    row = EventAttendance(event_id=event.id, user_id=user.id, checked_in_at=at, received_at=now,
                          method=method, recorded_by_id=recorded_by.id if recorded_by else None)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # a concurrent check-in of the same officer won the UNIQUE key
        raise CheckInRefused("already", attendance_of(event, user)) from None
    return row


def check_in(event: TrainingEvent, user: User, code: str, secret: str, now: datetime, *,
             scanned_at: datetime | None = None, scanned_for: int | None = None) -> CheckInResult:
    """Check `user` in with a scanned code. `scanned_at` and `scanned_for` come with a check-in
    that was queued on the phone; without them the check-in happens now."""
    if event.cancelled_at is not None:
        raise CheckInRefused("cancelled")
    queued = scanned_at is not None
    if scanned_for is not None and scanned_for != user.id:
        raise CheckInRefused("other_officer")
    at = now
    if queued:
        at = scanned_at if scanned_at.tzinfo else scanned_at.replace(tzinfo=timezone.utc)
        if at > now + CLOCK_SKEW:
            raise CheckInRefused("future")
        if now > event.ends_at + QUEUE_GRACE:
            raise CheckInRefused("queue_expired")
        at = min(at, now)
    if not code_matches(event, secret, code, at):
        raise CheckInRefused("bad_code")
    window = in_session(event, at)
    if window:
        raise CheckInRefused(window)
    if not is_invited(event, user):
        raise CheckInRefused("not_invited")
    return CheckInResult(_add(event, user, at, now, QR_QUEUED if queued else QR, None), queued)


def tick(actor: User, event: TrainingEvent, officer: User, now: datetime) -> EventAttendance:
    """The organiser marks an invited officer present (no phone at hand). Audited."""
    if not is_invited(event, officer):
        raise CheckInRefused("not_invited")
    row = _add(event, officer, min(now, event.ends_at), now, ORGANISER, actor)
    record(actor, audit.EDIT, "event", event.id, event.title,
           f"attendance ticked for user {officer.id}")
    return row


def untick(actor: User, event: TrainingEvent, officer: User) -> bool:
    """Remove an attendance the organiser recorded by mistake. Audited; True when removed."""
    row = attendance_of(event, officer)
    if row is None:
        return False
    db.session.delete(row)
    record(actor, audit.DELETE, "event", event.id, event.title,
           f"attendance removed for user {officer.id} (was {row.method})")
    db.session.flush()
    return True
