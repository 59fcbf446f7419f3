"""Creating training events, inviting officers, and listing the events a person sees.

Plain functions over the models: the actor and plain values in, rows added and flushed, never
committed (the view or command commits).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from learning import audit
from learning.audit import record
from learning.extensions import db
from learning.models import (Course, EventAttendance, EventCourse, EventInvite, EventSpeaker,
                             Office, Quiz, Role, TrainingEvent, User)
from . import zones

DEFAULT_LIKERT = [
    ("materi", "Materi sesi ini bermanfaat untuk tugas saya sebagai Pimpasa."),
    ("waktu", "Waktu sesi cukup untuk materi yang disampaikan."),
    ("tempat", "Tempat dan perlengkapan mendukung kegiatan."),
]
OPEN_QUESTION = "Apa yang perlu diperbaiki pada kegiatan berikutnya?"


class EventError(ValueError):
    """A rule of planning was broken; `code` names which."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


@dataclass
class NewEvent:
    title: str
    day: date
    start: time
    end: time
    zone: str  # IANA or WIB/WITA/WIT
    place: str = ""
    office_id: int | None = None
    jp: int = 0
    description: str = ""
    speakers: list[tuple[str, str]] = field(default_factory=list)  # (name, institution)
    course_ids: list[int] = field(default_factory=list)
    pre_quiz_id: int | None = None
    post_quiz_id: int | None = None
    evaluation: list[dict] | None = None  # None: the default items


def default_evaluation(speakers: list[tuple[str, str]]) -> list[dict]:
    """The Likert items every event starts with, one item per speaker, and the open question."""
    items = [{"key": key, "text": text, "kind": "likert", "speaker": None}
             for key, text in DEFAULT_LIKERT]
    for index, (name, _) in enumerate(speakers):
        items.append({"key": f"narasumber-{index + 1}", "kind": "likert", "speaker": index,
                      "text": f"{name} menyampaikan materi dengan jelas."})
    items.append({"key": "saran", "text": OPEN_QUESTION, "kind": "open", "speaker": None})
    return items


def create_event(actor: User | None, spec: NewEvent, *, origin: str | None = None) -> TrainingEvent:
    title = " ".join(spec.title.split())
    if not title:
        raise EventError("title")
    if not 0 <= spec.jp <= 100:
        raise EventError("jp")
    zone = zones.zone_name(spec.zone)
    starts, ends = zones.to_utc(spec.day, spec.start, zone), zones.to_utc(spec.day, spec.end, zone)
    if ends <= starts:
        raise EventError("times")
    for quiz_id in (spec.pre_quiz_id, spec.post_quiz_id):
        if quiz_id is not None and db.session.get(Quiz, quiz_id) is None:
            raise EventError("quiz")
    speakers = [(" ".join(n.split()), " ".join(i.split())) for n, i in spec.speakers if n.strip()]
    event = TrainingEvent(
        title=title[:200], description=spec.description.strip(), starts_at=starts, ends_at=ends,
        timezone=zone, place=spec.place.strip()[:200], office_id=spec.office_id, jp=spec.jp,
        pre_quiz_id=spec.pre_quiz_id, post_quiz_id=spec.post_quiz_id,
        evaluation=spec.evaluation if spec.evaluation is not None else default_evaluation(speakers),
        qr_key=secrets.token_hex(16), origin=origin,
        created_by_id=actor.id if actor else None)
    event.speakers = [EventSpeaker(position=i, name=n[:160], institution=inst[:200])
                      for i, (n, inst) in enumerate(speakers)]
    db.session.add(event)
    db.session.flush()
    for course_id in dict.fromkeys(spec.course_ids):
        if db.session.get(Course, course_id) is not None:
            db.session.add(EventCourse(event_id=event.id, course_id=course_id))
    record(actor, audit.CREATE, "event", event.id, event.title,
           f"starts {starts.isoformat()}, {event.jp} JP")
    db.session.flush()
    return event


def officers_in(*, region_id: int | None = None, office_id: int | None = None,
                user_ids: list[int] | None = None) -> list[int]:
    """Active officers of a region, an office or a list of ids."""
    query = sa.select(User.id).where(User.role == Role.OFFICER.value, User.active.is_(True))
    if office_id is not None:
        query = query.where(User.office_id == office_id)
    elif region_id is not None:
        query = query.join(Office, Office.id == User.office_id).where(Office.region_id == region_id)
    elif user_ids is not None:
        query = query.where(User.id.in_(user_ids or [0]))
    else:
        return []
    return list(db.session.scalars(query.order_by(User.id)))


def invite(actor: User | None, event: TrainingEvent, user_ids: list[int]) -> int:
    """Invite officers; those already invited are left as they are. Returns how many are new."""
    known = set(db.session.scalars(sa.select(EventInvite.user_id)
                                   .where(EventInvite.event_id == event.id)))
    new = [uid for uid in dict.fromkeys(user_ids) if uid not in known]
    for uid in new:
        db.session.add(EventInvite(event_id=event.id, user_id=uid))
    if new:
        record(actor, audit.EDIT, "event", event.id, event.title,
               f"invited +{len(new)} (now {len(known) + len(new)})")
    db.session.flush()
    return len(new)


def is_invited(event: TrainingEvent, user: User) -> bool:
    return db.session.scalar(sa.select(EventInvite.id).where(
        EventInvite.event_id == event.id, EventInvite.user_id == user.id)) is not None


def invited_count(event: TrainingEvent) -> int:
    return db.session.scalar(sa.select(sa.func.count(EventInvite.id))
                             .where(EventInvite.event_id == event.id)) or 0


@dataclass(frozen=True)
class OfficerEvent:
    """An event as the officer's dashboard lists it."""

    event: TrainingEvent
    attended: bool
    upcoming: bool
    when: str  # "Senin, 10 Nov 2025 09.00–12.00 WITA"-like, built by the template


def officer_events(user: User, now: datetime, *, past_days: int = 30) -> list[OfficerEvent]:
    """The officer's invitations, in calendar order: past events of the last `past_days` days
    (to evaluate) and every upcoming one; cancelled ones stay listed, marked as such."""
    attended = set(db.session.scalars(sa.select(EventAttendance.event_id)
                                      .where(EventAttendance.user_id == user.id)))
    events = db.session.scalars(
        sa.select(TrainingEvent).join(EventInvite, EventInvite.event_id == TrainingEvent.id)
        .where(EventInvite.user_id == user.id,
               TrainingEvent.ends_at >= now - timedelta(days=past_days))
        .order_by(TrainingEvent.starts_at, TrainingEvent.id))
    return [OfficerEvent(e, e.id in attended, e.ends_at >= now, "") for e in events]


def staff_events(actor: User, *, limit: int = 200) -> list[TrainingEvent]:
    """Every event, newest first (trainers and administrators organise for any office)."""
    return list(db.session.scalars(sa.select(TrainingEvent)
                                   .order_by(TrainingEvent.starts_at.desc()).limit(limit)))


def quiz_choices() -> list[tuple[int, str]]:
    """Quizzes with a published revision, for the pre- and post-test selects."""
    rows = db.session.execute(sa.select(Quiz.id, Quiz.title).where(
        Quiz.published_revision_id.is_not(None)).order_by(Quiz.title)).all()
    return [(quiz_id, title) for quiz_id, title in rows]


@dataclass(frozen=True)
class CancelImpact:
    """What cancelling an event changes, in numbers, said before it is done."""

    invited: int
    attended: int
    jp: int  # JP each attendee loses (when they had earned it)


def cancel_impact(event: TrainingEvent) -> CancelImpact:
    attended = db.session.scalar(sa.select(sa.func.count(EventAttendance.id))
                                 .where(EventAttendance.event_id == event.id)) or 0
    return CancelImpact(invited_count(event), attended, event.jp)


def cancel_event(actor: User, event: TrainingEvent, now: datetime, reason: str) -> CancelImpact:
    """Cancel: check-ins are refused and the event earns no JP. Attendance rows, tests and
    evaluations are kept (nothing is deleted); the audit row says what moved."""
    impact = cancel_impact(event)
    if event.cancelled_at is None:
        event.cancelled_at = now
        record(actor, audit.RETIRE, "event", event.id, event.title,
               f"cancelled: {impact.attended} attendee(s) lose {impact.jp} JP; "
               f"reason: {' '.join(reason.split())[:300]}")
        db.session.flush()
    return impact
