"""Test data for blended training: an event in a given zone, officers invited to it, and the
QR code valid at a moment."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import sqlalchemy as sa

from learning.events import checkin, planning
from learning.extensions import db
from learning.models import Quiz

SECRET = "test-secret-key-not-for-production"  # TestConfig.SECRET_KEY


def sample_quiz_id() -> int | None:
    return db.session.scalar(sa.select(Quiz.id).where(Quiz.slug == "unsur-kuis"))


def make_event(actor=None, *, day=date(2026, 11, 14), start=time(9), end=time(12),
               zone="WITA", jp=16, title="Peningkatan Kapasitas Pimpasa Batulicin",
               with_tests=False, office=None, **extra):
    quiz_id = sample_quiz_id() if with_tests else None
    event = planning.create_event(actor, planning.NewEvent(
        title=title, day=day, start=start, end=end, zone=zone, jp=jp,
        place="Aula Kantor Imigrasi Batulicin", office_id=office.id if office else None,
        speakers=[("AKP Rina Marlina", "Bareskrim Polri"), ("Dewi Lestari", "BP2MI")],
        pre_quiz_id=quiz_id, post_quiz_id=quiz_id, **extra))
    db.session.commit()
    return event


def code_at(event, moment: datetime) -> str:
    return checkin.current_code(event, SECRET, moment)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def live_event(actor=None, *, zone="WITA", **extra):
    """An event running now in `zone` (started half an hour ago, ending in about 90 minutes)."""
    from datetime import timedelta
    from learning.events import zones
    now = zones.local(datetime.now(timezone.utc), zones.zone_name(zone))
    begin = now - timedelta(minutes=30)
    if begin.date() != now.date():
        begin = now.replace(hour=0, minute=0)
    finish = now + timedelta(minutes=90)
    end = finish.time().replace(second=0, microsecond=0) if finish.date() == now.date() \
        else time(23, 59)
    return make_event(actor, day=now.date(), start=begin.time().replace(second=0, microsecond=0),
                      end=end, zone=zone, **extra)
