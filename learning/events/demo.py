"""Demo training events for `flask demo`: three face-to-face sessions, one in each of Indonesia's
time zones (WIB, WITA, WIT), with invitations, attendance (scanned, queued and ticked),
pre- and post-tests and evaluations; one of them with fewer than 5 evaluations, so the hidden
aggregate can be seen too. Offices get the time zone of their province; no office or region is
added (a small demo has no WIT office: its WIT event is held in Jayapura without one).

Demo events carry origin "demo" and are replaced on every run.
"""
from __future__ import annotations

import random
import secrets
from datetime import date, time, timedelta

import sqlalchemy as sa

from learning.extensions import db
from learning.models import (EventAttendance, EventCourse, EventEvaluationAnswer,
                             EventEvaluationReceipt, EventInvite, EventSpeaker, EventTestAttempt,
                             Office, Quiz, Region, Role, TrainingEvent, User)
from learning.quizzes.quizzing import draw_questions
from . import planning

WITA_REGIONS = {"NTB", "NTT", "BALI", "SULSEL", "KALTARA", "KALSEL", "KALTIM", "SULUT", "SULTENG",
                "SULTRA", "GORONTALO", "SULBAR"}
WIT_REGIONS = {"MALUKU", "MALUT", "PAPUA", "PAPBAR"}
EVENT_TABLES = (EventEvaluationAnswer, EventEvaluationReceipt, EventTestAttempt, EventAttendance,
                EventInvite, EventSpeaker, EventCourse)

PLAN = [  # (zone, title, place, days before as_of, speakers, evaluations wanted)
    ("Asia/Makassar", "Peningkatan Kapasitas Pimpasa: Pencegahan TPPO dan PMI Nonprosedural",
     "Aula Kantor Imigrasi", 20, [("AKP Rina Marlina", "Bareskrim Polri"),
                                  ("Dewi Anggraini", "BP2MI"),
                                  ("Aiptu Yohanes Lado", "Bhabinkamtibmas")], None),
    ("Asia/Jakarta", "Sosialisasi Desa Binaan Imigrasi", "Balai Desa", 9,
     [("Slamet Riyadi", "Kantor Imigrasi"), ("Lestari Handayani", "Dinas Tenaga Kerja")], None),
    ("Asia/Jayapura", "Koordinasi Pengawasan Orang Asing di Wilayah Perbatasan",
     "Ruang Rapat Kanwil", 3, [("Markus Wanggai", "Kanwil Papua")], 3),
]


def region_zone(region_code: str) -> str:
    key = region_code.upper().removeprefix("KANWIL-")
    return "Asia/Jayapura" if key in WIT_REGIONS else \
        "Asia/Makassar" if key in WITA_REGIONS else "Asia/Jakarta"


def remove_demo_events() -> int:
    ids = list(db.session.scalars(sa.select(TrainingEvent.id).where(
        TrainingEvent.origin == "demo")))
    if ids:
        for model in EVENT_TABLES:
            db.session.execute(sa.delete(model).where(model.event_id.in_(ids)))
        db.session.execute(sa.delete(TrainingEvent).where(TrainingEvent.id.in_(ids)))
    return len(ids)


def _office_in(zone: str, offices: list[tuple[Office, str]]) -> Office | None:
    """A demo office in `zone`; None when the demo has none there (small demos have no WIT
    office: the event is then organised from Jayapura without a demo office, and adding one
    would put an empty office into the reports)."""
    return next((office for office, office_zone in offices if office_zone == zone), None)


def add_demo_events(as_of: date, seed: int) -> int:
    """Create the demo events (see the module docstring); returns how many."""
    rng = random.Random(seed * 7919 + 22)
    remove_demo_events()
    demo_offices = sa.select(User.office_id).where(User.username.like("demo-%"))
    offices = []
    for office, code in db.session.execute(sa.select(Office, Region.code).join(
            Region, Region.id == Office.region_id).where(Office.id.in_(demo_offices))
            .order_by(Office.id)):
        office.timezone = office.timezone or region_zone(code)  # only fills an empty zone
        offices.append((office, office.timezone))
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.published_revision_id.is_not(None))
                             .order_by(Quiz.id).limit(1))
    officers = list(db.session.scalars(sa.select(User).where(
        User.role == Role.OFFICER.value, User.active.is_(True),
        User.username.like("demo-%")).order_by(User.id)))
    if not officers:
        return 0
    created = 0
    for zone, title, place, days_before, speakers, evaluations in PLAN:
        office = _office_in(zone, offices)
        local_officers = [u for u in officers if office and u.office_id == office.id]
        invited = (local_officers or officers)[:40]
        if len(invited) < 8:
            invited = rng.sample(officers, min(len(officers), 40))
        day = as_of - timedelta(days=days_before)
        event = planning.create_event(None, planning.NewEvent(
            title=title, day=day, start=time(8, 30), end=time(15, 0), zone=zone,
            place=f"{place}, {office.name if office else 'Jayapura'}",
            office_id=office.id if office else None, jp=8 if days_before > 5 else 4,
            speakers=speakers, pre_quiz_id=quiz.id if quiz else None,
            post_quiz_id=quiz.id if quiz else None), origin="demo")
        planning.invite(None, event, [u.id for u in invited])
        _attendance_and_tests(event, invited, quiz, rng, evaluations)
        created += 1
    db.session.flush()
    return created


def _attendance_and_tests(event: TrainingEvent, invited: list[User], quiz: Quiz | None,
                          rng: random.Random, evaluations: int | None) -> None:
    present = [u for u in invited if rng.random() < 0.85]
    revision = quiz.published_revision if quiz else None
    for user in present:
        at = event.starts_at + timedelta(minutes=rng.randint(-25, 40))
        method = rng.choices(["qr", "qr_queued", "organiser"], [0.75, 0.15, 0.10])[0]
        db.session.add(EventAttendance(
            event_id=event.id, user_id=user.id, checked_in_at=at, method=method,
            received_at=at + timedelta(hours=rng.randint(1, 20)) if method == "qr_queued" else at))
        if revision is None:
            continue
        skill = rng.uniform(0.2, 0.7)
        for phase, chance, moment in (("pre", skill, event.starts_at),
                                      ("post", min(0.97, skill + rng.uniform(0.1, 0.4)),
                                       event.ends_at - timedelta(minutes=30))):
            draw = draw_questions(revision, rng)
            correct = {entry["slug"]: rng.random() < chance for entry in draw}
            percent = round(100.0 * sum(correct.values()) / max(1, len(correct)), 1)
            db.session.add(EventTestAttempt(
                event_id=event.id, user_id=user.id, phase=phase, quiz_revision_id=revision.id,
                draw=draw, correct=correct, started_at=moment, submitted_at=moment,
                percent=percent, passed=percent >= revision.pass_mark))
    wanted = len(present) if evaluations is None else min(evaluations, len(present))
    comments = ["Materi studi kasus sangat membantu.", "Waktu diskusi perlu ditambah.",
                "Mohon contoh formulir pelaporan dibagikan.", ""]
    for user in rng.sample(present, int(wanted * (0.8 if evaluations is None else 1))):
        db.session.add(EventEvaluationReceipt(event_id=event.id, user_id=user.id))
        answers: dict[str, object] = {}
        for item in event.evaluation:
            if item["kind"] == "likert":
                answers[item["key"]] = rng.choices([2, 3, 4, 5], [1, 3, 6, 4])[0]
            elif (text := rng.choice(comments)):
                answers[item["key"]] = text
        db.session.add(EventEvaluationAnswer(token=secrets.token_hex(16), event_id=event.id,
                                             answers=answers))

