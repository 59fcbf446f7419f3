"""Quiz pages tell the officer the next step: unanswered questions are listed before sending, the
result offers the next module, a retry, or the certificate after the last quiz."""
import pytest

from learning.extensions import db as _db
from learning.models import Attempt

from ..factories import import_sample_curriculum, login, make_user
from ..quiz_answers import answer_fields, as_form

INTRO = "/courses/contoh/unsur/quiz"


@pytest.fixture
def officer_client(client, db):
    import_sample_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    login(client, "sari")
    return client


def _start(client) -> Attempt:
    response = client.post(INTRO)
    assert response.status_code == 303
    _db.session.expire_all()
    return _db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))


def test_sending_with_blank_questions_asks_first_and_lists_them(officer_client):
    attempt = _start(officer_client)
    fields = answer_fields(attempt, True, only=[1])
    page = officer_client.post(f"/quiz/attempts/{attempt.id}", data=as_form(fields, action="submit"))
    assert page.status_code == 200
    assert "belum dijawab" in page.text and 'href="#soal-2"' in page.text
    assert 'href="#soal-1"' not in page.text
    _db.session.expire_all()
    assert _db.session.get(Attempt, attempt.id).status == "open"  # saved, not sent
    sent = officer_client.post(f"/quiz/attempts/{attempt.id}",
                               data=as_form(fields, action="submit-anyway"))
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/result")
    _db.session.expire_all()
    assert _db.session.get(Attempt, attempt.id).status == "submitted"


def test_passing_a_middle_quiz_offers_the_next_module(officer_client):
    attempt = _start(officer_client)
    officer_client.post(f"/quiz/attempts/{attempt.id}",
                        data=as_form(answer_fields(attempt, True), action="submit"))
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Lanjut ke modul 3" in page  # the course goes on after this module (pengantar later)
    assert 'href="/courses/contoh/penutup"' in page


def test_failing_offers_a_retry_with_the_attempts_left(officer_client):
    attempt = _start(officer_client)
    officer_client.post(f"/quiz/attempts/{attempt.id}",
                        data=as_form(answer_fields(attempt, False), action="submit"))
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Coba lagi" in page and "Sisa kesempatan: 2" in page


def test_passing_the_last_quiz_links_the_certificate(officer_client):
    officer_client.post("/courses/contoh/pengantar/done")
    officer_client.post("/courses/contoh/penutup/done")
    attempt = _start(officer_client)
    officer_client.post(f"/quiz/attempts/{attempt.id}",
                        data=as_form(answer_fields(attempt, True), action="submit"))
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Sertifikat Anda sudah terbit" in page
    assert 'href="/certificates/' in page and "Lihat sertifikat" in page
    dashboard = officer_client.get("/").text  # finished: the dashboard leads to the certificate
    assert "Selesai" in dashboard and 'href="/certificates/' in dashboard


def test_first_visit_is_welcomed_without_a_refusal(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    page = client.get(response.headers["Location"]).text
    assert "Selamat datang" in page and "Silakan masuk untuk membuka halaman ini" not in page
    deeper = client.get("/courses/contoh/", follow_redirects=True).text
    assert "Silakan masuk untuk membuka halaman ini" in deeper  # a deep link still says why


def test_password_rule_is_stated_before_any_failure(client, db):
    make_user(username="baru", must_change_password=True)
    login(client, "baru")
    page = client.get("/account/password").text
    assert "minimal 10 karakter" in page and "Menu lain terbuka setelah" in page


def test_data_saver_wording_matches_its_state(officer_client):
    page = officer_client.get("/").text
    assert "gambar langsung dimuat" in page and "saat Anda mengetuknya" not in page


def test_offline_page_carries_the_quiz_message(client, db):
    page = client.get("/offline").text
    assert 'id="offline-quiz"' in page and "Kuis perlu sinyal" in page


def test_pager_labels_are_short_with_the_title_below(officer_client):
    page = officer_client.get("/courses/contoh/unsur").text
    assert 'class="pager-dir"' in page and "Sebelumnya" in page and "Berikutnya" in page
