"""Taking a quiz over HTTP: the intro, the attempt page without an answer key, saving and
submitting, the result and its review, owners only, bad input, lost sessions."""
import re

import pytest
import sqlalchemy as sa
from flask import g, request_started

from learning import create_app
from learning.extensions import db as _db
from learning.models import Attempt, AttemptAnswer, LoginSession, utcnow
from learning.quizzes.quizzing import saved_responses

from ..factories import PASSWORD, import_sample_curriculum, login, make_user
from ..quiz_answers import answer_fields, as_form, curriculum_with_all_types, edited_curriculum

INTRO = "/courses/contoh/unsur/quiz"


@pytest.fixture
def officer_client(client, db):
    import_sample_curriculum()
    make_user(username="sari")
    login(client, "sari")
    return client


def start(client, intro=INTRO) -> Attempt:
    response = client.post(intro)
    assert response.status_code == 303, response.text
    return _attempt(int(response.headers["Location"].rsplit("/", 1)[1]))


def _attempt(attempt_id: int) -> Attempt:
    _db.session.expire_all()
    return _db.session.get(Attempt, attempt_id)


def _count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _answer_rows() -> list[tuple]:
    rows = _db.session.scalars(sa.select(AttemptAnswer).order_by(AttemptAnswer.id))
    return [(a.question_slug, a.response, a.points) for a in rows]


def submit(client, attempt, right: bool):
    form = as_form(answer_fields(attempt, right), action="submit")
    return client.post(f"/quiz/attempts/{attempt.id}", data=form)


def test_intro_shows_the_rules_and_starts_then_resumes(officer_client):
    page = officer_client.get(INTRO)
    assert page.status_code == 200
    for text in ("Kuis Unsur TPPO", "70%", "0 dari 3 terpakai", "Tanpa batas waktu", "Mulai"):
        assert text in page.text
    attempt = start(officer_client)
    assert officer_client.get(INTRO).text.count("Lanjutkan") >= 1
    assert start(officer_client).id == attempt.id  # resumed, not a second attempt
    assert _count(Attempt) == 1


def test_module_page_links_to_the_quiz(officer_client):
    page = officer_client.get("/courses/contoh/unsur").text
    assert f'href="{INTRO}"' in page


def test_unknown_quiz_is_404(officer_client):
    assert officer_client.get("/courses/contoh/pengantar/quiz").status_code == 404
    assert officer_client.post("/courses/contoh/tidak-ada/quiz").status_code == 404


def _choice_blocks(page: str) -> list[str]:
    return re.findall(r'<div class="choice">.*?</div>', page, re.S)


def _normalise(block: str) -> str:
    block = re.sub(r"<label([^>]*)>.*?</label>", r"<label\1>TEXT</label>", block, flags=re.S)
    return re.sub(r"q\d+-o\d+|value=\"\d+\"|name=\"q\d+\"", "N", block)


def test_the_attempt_page_holds_no_trace_of_the_answer_key(officer_client, tmp_path):
    import_sample_curriculum(curriculum_with_all_types(tmp_path))
    attempt = start(officer_client, "/courses/contoh/penutup/quiz")
    page = officer_client.get(f"/quiz/attempts/{attempt.id}").text
    form = page[page.index('<form id="quiz-attempt"'):page.index("</form>", page.index('id="quiz-attempt"'))]
    # Correct and wrong options differ only in their text (and their displayed position).
    blocks = _choice_blocks(form)
    assert len(blocks) == 3 + 4 + 2
    radios = {_normalise(b) for b in blocks if 'type="radio"' in b}
    checkboxes = {_normalise(b) for b in blocks if 'type="checkbox"' in b}
    assert len(radios) == 1 and len(checkboxes) == 1
    for option_text in ("Opsi benar", "Opsi salah pertama", "Benar A", "Salah B"):
        assert option_text in form
    # Values are displayed positions 1..n in page order, whatever the canonical order.
    for number in range(1, 8):
        values = re.findall(rf'name="q{number}" value="(\d+)"', form)
        assert values == [str(i) for i in range(1, len(values) + 1)]
    options = re.findall(r"<option value=\"(\d*)\">([^<]*)</option>", form)
    assert options and all(text.strip() for _, text in options)
    # Nothing of the key, the explanations or the laws is on the page.
    for secret in ("Penjelasan pilih satu", "Pasal 120", "pasal 120 UU 6/2011", "±",
                   "UU 21/2007 Pasal 1", "correct", "data-key", "checked", "selected"):
        assert secret not in form, secret
    assert not re.search(r"\b15\b", form)
    # Every control has a label and sits in a fieldset with a legend.
    ids = re.findall(r'<(?:input|select) type="(?:radio|checkbox|text)" id="([^"]+)"|<select id="([^"]+)"', form)
    for found in ids:
        control = found[0] or found[1]
        assert f'<label for="{control}">' in form, control
    assert form.count("<fieldset") == form.count("<legend>") == 7


def test_saving_without_javascript_and_reopening_shows_the_answers(officer_client):
    attempt = start(officer_client)
    fields = answer_fields(attempt, right=True, only=[1, 2])
    response = officer_client.post(f"/quiz/attempts/{attempt.id}", data=as_form(fields, action="save"))
    assert response.status_code == 303 and response.headers["Location"] == f"/quiz/attempts/{attempt.id}"
    page = officer_client.get(f"/quiz/attempts/{attempt.id}").text
    assert "Jawaban tersimpan." in page
    assert page.count(" checked") + page.count('value="3"') >= 2
    assert len(saved_responses(_attempt(attempt.id))) == 2


def test_autosave_json_saves_only_the_questions_sent(officer_client):
    attempt = start(officer_client)
    officer_client.post(f"/quiz/attempts/{attempt.id}/answers",
                        json={"answers": answer_fields(attempt, True, only=[1, 2])})
    response = officer_client.post(f"/quiz/attempts/{attempt.id}/answers",
                                   json={"answers": answer_fields(attempt, True, only=[3])})
    assert response.status_code == 200 and response.get_json()["saved"] is True
    assert len(saved_responses(_attempt(attempt.id))) == 3


@pytest.mark.parametrize("payload", [None, [], {"answers": []}, {"answers": {"q1": {"x": 1}}},
                                     {"answers": {"q1": ["99"]}}, {"answers": {"q9": ["1"]}}])
def test_autosave_rejects_bad_input_with_400(officer_client, payload):
    attempt = start(officer_client)
    n = _choice_number(attempt)
    if isinstance(payload, dict) and isinstance(payload["answers"], dict) and "q1" in payload["answers"]:
        payload = {"answers": {f"q{n}": payload["answers"]["q1"]}}
    response = officer_client.post(f"/quiz/attempts/{attempt.id}/answers", json=payload)
    assert response.status_code == 400 and "error" in response.get_json()
    assert saved_responses(_attempt(attempt.id)) == {}


def _choice_number(attempt) -> int:
    from learning.quizzes.quizzing import attempt_questions
    return next(i for i, (_, q) in enumerate(attempt_questions(attempt), start=1)
                if q["type"] in ("single", "true_false"))


def test_bad_form_values_are_400_with_a_message_next_to_the_question(officer_client):
    attempt = start(officer_client)
    n = _choice_number(attempt)
    response = officer_client.post(f"/quiz/attempts/{attempt.id}", data={f"q{n}": "77", "action": "save"})
    assert response.status_code == 400
    assert f'id="q{n}-error"' in response.text and "tidak ada pada soal" in response.text
    assert officer_client.post(f"/quiz/attempts/{attempt.id}", data={"action": "hapus"}).status_code == 400
    assert officer_client.get("/quiz/attempts/abc").status_code == 404


def test_submitting_grades_once_and_a_submitted_attempt_cannot_change(officer_client):
    attempt = start(officer_client)
    first = submit(officer_client, attempt, right=False)
    assert first.status_code == 303 and first.headers["Location"] == f"/quiz/attempts/{attempt.id}/result"
    before = _answer_rows()
    again = submit(officer_client, attempt, right=True)  # a resend with other answers
    assert again.status_code == 303 and "sudah dikirim sebelumnya" in officer_client.get(again.headers["Location"]).text
    save = officer_client.post(f"/quiz/attempts/{attempt.id}/answers", json={"answers": answer_fields(attempt, True)})
    assert save.status_code == 409
    form_save = officer_client.post(f"/quiz/attempts/{attempt.id}", data=as_form(answer_fields(attempt, True), action="save"))
    assert form_save.status_code == 303
    after = _answer_rows()
    assert after == before and _attempt(attempt.id).percent == 0.0
    assert officer_client.get(f"/quiz/attempts/{attempt.id}").headers["Location"].endswith("/result")


KEY_HEADING = "Jawaban yang benar:"


def test_result_hides_correct_answers_while_attempts_are_left(officer_client):
    attempt = start(officer_client)
    submit(officer_client, attempt, right=False)
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Belum lulus." in page and "0%" in page
    assert KEY_HEADING not in page and "Pembahasan lengkap (kunci jawaban dan penjelasan)" in page
    assert "Proses, cara, dan tujuan eksploitasi" not in page
    # the default review ("topics"): what to read again, no question marked, no explanation
    assert "Pelajari lagi sebelum mencoba lagi" in page and "UU 21/2007 Pasal 2" in page
    assert "Jawaban Anda:" not in page and "Ketiga unsur harus ada" not in page
    for n in (2, 3):
        later = start(officer_client)
        submit(officer_client, later, right=False)
        page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
        assert (KEY_HEADING in page) is (n == 3)  # revealed once no attempt is left
    refused = officer_client.post(INTRO, follow_redirects=False)
    assert refused.status_code == 409 and "sudah habis" in refused.text
    assert _count(Attempt) == 3


def test_result_shows_correct_answers_after_passing(officer_client):
    attempt = start(officer_client)
    submit(officer_client, attempt, right=True)
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "100%" in page and "Lulus." in page and KEY_HEADING in page
    assert "Modul ini sudah selesai." in officer_client.get("/courses/contoh/unsur").text or \
        "1 dari 3 modul" in officer_client.get("/").text


def test_editing_the_quiz_leaves_an_earlier_result_page_unchanged(officer_client, tmp_path):
    attempt = start(officer_client)
    submit(officer_client, attempt, right=True)
    url = f"/quiz/attempts/{attempt.id}/result"
    officer_client.get(url)  # shows (and so consumes) the "sent" notice
    before = officer_client.get(url).text
    import_sample_curriculum(edited_curriculum(
        tmp_path, ("Apa tiga unsur TPPO?", "Sebutkan tiga unsur TPPO."),
        ("- [ ] Benar\n- [x] Salah", "- [x] Benar\n- [ ] Salah"), ("answer: 3", "answer: 4")))
    after = officer_client.get(url).text
    assert after == before and "100%" in after


def test_only_the_owner_may_see_or_post(officer_client, app):
    attempt = start(officer_client)
    make_user(username="budi")
    other = app.test_client()
    login(other, "budi")
    for url in (f"/quiz/attempts/{attempt.id}", f"/quiz/attempts/{attempt.id}/result"):
        assert other.get(url).status_code == 404
    assert other.post(f"/quiz/attempts/{attempt.id}", data=as_form(answer_fields(attempt, True), action="submit")).status_code == 404
    assert other.post(f"/quiz/attempts/{attempt.id}/answers", json={"answers": {}}).status_code == 404
    assert _attempt(attempt.id).status == "open" and saved_responses(_attempt(attempt.id)) == {}
    anonymous = app.test_client()
    assert anonymous.get(f"/quiz/attempts/{attempt.id}").headers["Location"].startswith("/login")


def test_after_the_deadline_nothing_more_is_saved(officer_client):
    attempt = start(officer_client)
    officer_client.post(f"/quiz/attempts/{attempt.id}/answers",
                        json={"answers": answer_fields(attempt, True, only=[1])})
    attempt = _attempt(attempt.id)
    attempt.deadline_at = utcnow()
    _db.session.commit()
    late = submit(officer_client, attempt, right=True)
    assert late.status_code == 303 and late.headers["Location"].endswith("/result")
    attempt = _attempt(attempt.id)
    assert attempt.status == "submitted" and len(saved_responses(attempt)) == 1
    assert sum(a.correct for a in attempt.answers) == 1


# --------------------------------------------------------------------------- lost sessions


def _expire_sessions():
    _db.session.execute(sa.update(LoginSession).values(expires_at=utcnow()))
    _db.session.commit()


def _rescue_token(client, attempt) -> str:
    """The attempt page's rescue token, as the officer's browser holds it."""
    page = client.get(f"/quiz/attempts/{attempt.id}").text
    return re.search(r'name="rescue_token" value="([^"]+)"', page).group(1)


def test_submit_with_an_expired_session_keeps_the_answers_through_sign_in(officer_client):
    attempt = start(officer_client)
    fields = answer_fields(attempt, right=True)
    token = _rescue_token(officer_client, attempt)
    _expire_sessions()
    response = officer_client.post(f"/quiz/attempts/{attempt.id}",
                                   data=as_form(fields, action="submit", rescue_token=token))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/login?next=/quiz/attempts/{attempt.id}"
    login_page = officer_client.get(response.headers["Location"]).text
    assert "soal) disimpan sementara di server" in login_page
    assert saved_responses(_attempt(attempt.id)) == {}  # nothing saved without a session
    next_url = re.search(r'name="next" type="hidden" value="([^"]+)"', login_page).group(1)
    back = officer_client.post("/login", data={"identifier": "sari", "password": PASSWORD,
                                               "next": next_url})
    assert back.headers["Location"] == f"/quiz/attempts/{attempt.id}"
    page = officer_client.get(back.headers["Location"])
    assert page.status_code == 200 and "sudah dipulihkan" in page.text and "Kirim jawaban" in page.text
    attempt = _attempt(attempt.id)
    assert attempt.status == "open" and len(saved_responses(attempt)) == 3
    submit(officer_client, attempt, right=True)
    assert _attempt(attempt.id).percent == 100.0


def test_autosave_with_an_expired_session_says_sign_in_and_keeps_the_answers(officer_client):
    attempt = start(officer_client)
    token = _rescue_token(officer_client, attempt)
    _expire_sessions()
    response = officer_client.post(f"/quiz/attempts/{attempt.id}/answers",
                                   headers={"X-Rescue-Token": token},
                                   json={"answers": answer_fields(attempt, True, only=[2])})
    assert response.status_code == 401
    assert response.get_json()["next_url"] == f"/login?next=/quiz/attempts/{attempt.id}"
    login(officer_client, "sari")  # the session expired: the client is anonymous again
    officer_client.get(f"/quiz/attempts/{attempt.id}")
    assert list(saved_responses(_attempt(attempt.id))) == [attempt.draw[1]["slug"]]


def _fresh_request_globals(sender, **extra):
    """The test keeps one app context open: each request must load its user and token anew."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)


@pytest.fixture
def csrf_client(app, database_url):
    csrf_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True,
                           "SQLALCHEMY_DATABASE_URI": database_url})
    request_started.connect(_fresh_request_globals, csrf_app)
    with csrf_app.app_context():
        yield csrf_app.test_client()


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_expired_form_token_keeps_the_answers_and_returns_to_the_attempt(csrf_client):
    import_sample_curriculum()
    make_user(username="sari")
    token = _token(csrf_client.get("/login").text)
    csrf_client.post("/login", data={"identifier": "sari", "password": PASSWORD, "csrf_token": token})
    token = _token(csrf_client.get(INTRO).text)
    response = csrf_client.post(INTRO, data={"csrf_token": token})
    attempt = _attempt(int(response.headers["Location"].rsplit("/", 1)[1]))
    fields = answer_fields(attempt, right=True)
    # A page left open too long: its token no longer validates.
    stale = csrf_client.post(f"/quiz/attempts/{attempt.id}",
                             data=as_form(fields, action="submit", csrf_token="kedaluwarsa"))
    assert stale.status_code == 303 and stale.headers["Location"] == f"/quiz/attempts/{attempt.id}"
    page = csrf_client.get(stale.headers["Location"]).text
    assert "sudah dipulihkan" in page and len(saved_responses(_attempt(attempt.id))) == 3
    # A post from another site is refused and nothing of it is kept.
    forged = csrf_client.post(f"/quiz/attempts/{attempt.id}", headers={"Origin": "https://evil.example"},
                              data=as_form(answer_fields(attempt, right=False), action="save"))
    assert forged.status_code == 400
    csrf_client.get(f"/quiz/attempts/{attempt.id}")
    assert len(saved_responses(_attempt(attempt.id))) == 3
    assert _attempt(attempt.id).status == "open"
    # With the session gone as well, the officer signs in first and comes back to the attempt.
    rescue = re.search(r'name="rescue_token" value="([^"]+)"',
                       csrf_client.get(f"/quiz/attempts/{attempt.id}").text).group(1)
    _expire_sessions()
    gone = csrf_client.post(f"/quiz/attempts/{attempt.id}/answers",
                            headers={"X-CSRFToken": "x", "X-Rescue-Token": rescue},
                            json={"answers": {"q1": []}})
    assert gone.status_code == 401 and gone.get_json()["kept"] is True


def test_after_a_pass_the_result_leads_to_the_next_module_then_to_the_certificate(
        officer_client, db):
    from learning.learner import progress as learner_progress
    from learning.models import Certificate, Course, User, utcnow

    attempt = start(officer_client)
    submit(officer_client, attempt, right=True)
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Lanjut ke modul 3" in page and 'href="/courses/contoh/penutup"' in page
    dashboard = officer_client.get("/").text
    assert "<strong>33%</strong>" in dashboard and "Lanjutkan modul" in dashboard
    # Once every other module is done, passing the last quiz leads to the certificate.
    sari = db.session.scalar(sa.select(User).where(User.username == "sari"))
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for module in course.live_modules:
        if module.slug != "unsur":
            learner_progress.complete_module(sari, module, utcnow())
    db.session.commit()
    certificate = db.session.scalar(sa.select(Certificate))
    page = officer_client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Lanjut ke modul" not in page
    assert f'href="/certificates/{certificate.number}"' in page and "Lihat sertifikat" in page
