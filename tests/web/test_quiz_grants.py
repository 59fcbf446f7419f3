"""Second chances: a trainer or administrator grants an officer an extra attempt (or minutes) on a
quiz with a reason; the officer can take it; the audit log and the totals show it."""
import pytest
import sqlalchemy as sa

from learning.extensions import db as _db
from learning.grants import granting
from learning.models import Attempt, AuditEvent, QuizGrant, User, utcnow

from ..factories import import_sample_curriculum, login, make_user
from ..quiz_answers import answer_fields, as_form, sample_quiz

INTRO = "/courses/contoh/unsur/quiz"


def _use_every_attempt(client):
    for _ in range(3):
        response = client.post(INTRO)
        attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
        _db.session.expire_all()
        attempt = _db.session.get(Attempt, attempt_id)
        client.post(f"/quiz/attempts/{attempt_id}",
                    data=as_form(answer_fields(attempt, False), action="submit"))


@pytest.fixture
def stuck(app, db):
    import_sample_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    make_user(role="admin", username="admin1", full_name="Admin Pusat")
    make_user(role="trainer", username="pelatih")
    client = app.test_client()
    login(client, "sari")
    _use_every_attempt(client)
    assert client.post(INTRO).status_code == 409  # stuck: every attempt used
    return client


def test_admin_grants_an_attempt_the_officer_takes_it_and_the_audit_log_shows_it(app, stuck):
    admin = app.test_client()
    login(admin, "admin1")
    quiz = sample_quiz()
    page = admin.get("/grants/")
    assert page.status_code == 200 and "Kuis Unsur TPPO" in page.text
    response = admin.post("/grants/", data={"officer": "SARI", "quiz": quiz.id, "extra_attempts": 1,
                                            "extra_minutes": 0, "reason": "Sinyal putus saat ujian"})
    assert response.status_code == 303
    event = _db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "grant"))
    assert event.target_id == quiz.id and "sari: +1 attempts" in event.detail
    assert "Sinyal putus" in event.detail and event.actor_name == "Admin Pusat"
    listing = admin.get("/grants/").text
    assert "1 pemberian untuk 1 petugas, jumlahnya 1 percobaan dan 0 menit" in listing
    intro = stuck.get(INTRO).text
    assert "3 dari 4 terpakai, sisa 1" in intro and "1 kesempatan tambahan" in intro
    started = stuck.post(INTRO)
    assert started.status_code == 303
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 4
    assert stuck.post(INTRO).status_code == 303  # resumes the open 4th attempt, no 5th


def test_grant_needs_a_reason_an_officer_and_something_to_give(app, stuck):
    trainer = app.test_client()
    login(trainer, "pelatih")
    quiz = sample_quiz()
    base = {"officer": "sari", "quiz": quiz.id, "extra_attempts": 1, "extra_minutes": 0,
            "reason": "alasan"}
    assert trainer.post("/grants/", data={**base, "reason": ""}).status_code == 400
    assert trainer.post("/grants/", data={**base, "officer": "tidak-ada"}).status_code == 400
    assert trainer.post("/grants/", data={**base, "officer": "pelatih"}).status_code == 400
    assert trainer.post("/grants/", data={**base, "extra_attempts": 0}).status_code == 400
    assert trainer.post("/grants/", data={**base, "extra_attempts": 99}).status_code == 400
    assert trainer.post("/grants/", data={**base, "quiz": "abc"}).status_code == 400
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(QuizGrant)) == 0
    assert trainer.post("/grants/", data=base).status_code == 303


def test_officer_cannot_grant(stuck):
    assert stuck.get("/grants/").status_code == 403
    assert stuck.post("/grants/", data={"officer": "sari"}).status_code in (400, 403)


def test_extra_minutes_lengthen_the_next_attempt_domain(app, db):
    import_sample_curriculum()
    officer = make_user(username="budi")
    trainer = make_user(role="trainer")
    quiz = sample_quiz()
    granting.grant(trainer, officer, quiz, extra_attempts=0, extra_minutes=15,
                   reason="Pembaca layar lambat", now=utcnow())
    granting.grant(trainer, officer, quiz, extra_attempts=2, extra_minutes=0,
                   reason="Listrik padam", now=utcnow())
    db.session.commit()
    assert granting.extra_for(officer, quiz) == granting.Extra(2, 15)
    with pytest.raises(granting.GrantRefused):
        granting.grant(officer, officer, quiz, extra_attempts=1, extra_minutes=0,
                       reason="x", now=utcnow())
    assert db.session.scalar(sa.select(User).where(User.username == "budi")).is_officer


def test_granted_minutes_are_added_to_the_deadline_of_a_new_attempt(app, db):
    import random
    from datetime import timedelta
    from learning.quizzes import quizzing
    import_sample_curriculum()
    officer = make_user(username="citra")
    quiz = sample_quiz()
    quiz.published_revision.time_limit = 10
    granting.grant(make_user(role="admin"), officer, quiz, extra_attempts=0, extra_minutes=15,
                   reason="Ujian diulang karena gangguan", now=utcnow())
    now = utcnow()
    started = quizzing.start_attempt(officer, quiz, now, random.Random(1))
    assert started.attempt.deadline_at - now == timedelta(minutes=25)


def test_audit_log_page_lists_the_grant(app, stuck):
    admin = app.test_client()
    login(admin, "admin1")
    quiz = sample_quiz()
    admin.post("/grants/", data={"officer": "sari", "quiz": quiz.id, "extra_attempts": 2,
                                 "extra_minutes": 0, "reason": "Ponsel rusak saat ujian"})
    page = admin.get("/studio/audit?action=grant")
    assert page.status_code == 200
    assert "Kesempatan tambahan kuis diberikan" in page.text and "Ponsel rusak" in page.text
