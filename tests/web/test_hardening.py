"""Each case of the attack-and-fault battery (issue 15), over HTTP, on SQLite and PostgreSQL:
nested JSON, 20-digit ids, NUL characters, deep front matter, pathological Markdown, the
concurrent quiz save, common passwords, the review of a failed attempt and the no-JavaScript
rescue of a page of long answers."""
from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa

from learning.models import Attempt, LoginSession, Quiz, QuizRevision, Region, User, utcnow
from learning.quizzes.quizzing import saved_responses

from ..factories import PASSWORD, import_sample_curriculum, login, make_office, make_user
from ..quiz_answers import answer_fields, as_form, edited_curriculum

DEEP = "[" * 100_000 + "]" * 100_000
BIG = "99999999999999999999"
NUL_MESSAGE = "karakter kendali (misalnya NUL)"


@pytest.fixture
def officer(client, db):
    import_sample_curriculum()
    make_user(username="sari", office=make_office())
    login(client, "sari")
    return client


@pytest.fixture
def trainer(client, db):
    import_sample_curriculum()
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    login(client, "tina")
    return client


@pytest.fixture
def admin(client, db):
    make_office()
    make_user(role="admin", username="ani")
    login(client, "ani")
    return client


def _start(client) -> Attempt:
    from learning.extensions import db

    response = client.post("/courses/contoh/unsur/quiz")
    return db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))


def _deep_post(client, url):
    return client.post(url, data=DEEP, content_type="application/json")


# --------------------------------------------------------------------------- nested JSON


def test_deeply_nested_json_is_a_clear_400_everywhere(officer, app):
    attempt = _start(officer)
    for url in (f"/quiz/attempts/{attempt.id}/answers", "/courses/contoh/unsur/heartbeat",
                "/progress/events"):
        response = _deep_post(officer, url)
        assert response.status_code == 400, url
        assert "terlalu dalam" in response.get_json()["error"], url
    anonymous = app.test_client()  # no session, no token: still a 400, not a 500
    response = _deep_post(anonymous, f"/quiz/attempts/{attempt.id}/answers")
    assert response.status_code == 400


def test_json_answers_with_a_nul_are_refused(officer):
    attempt = _start(officer)
    response = officer.post(f"/quiz/attempts/{attempt.id}/answers",
                            json={"answers": {"q1": ["a\x00b"]}})
    assert response.status_code == 400 and "NUL" in response.get_json()["error"]
    assert saved_responses(attempt) == {}


# --------------------------------------------------------------------------- big ids


def test_twenty_digit_ids_are_404_not_500(officer, app, db):
    assert officer.get(f"/quiz/attempts/{BIG}").status_code == 404
    assert officer.get(f"/quiz/attempts/{2**31 - 1}").status_code == 404  # in range: unknown
    make_user(role="admin", username="ani")
    admin = app.test_client()
    login(admin, "ani")
    for url in (f"/admin/regions/{BIG}", f"/admin/offices/{BIG}", f"/admin/people/{BIG}",
                f"/studio/modules/{BIG}/edit", f"/studio/quizzes/{BIG}/edit",
                f"/admin/reports/officer/{BIG}"):
        assert admin.get(url).status_code == 404, url
    for url in (f"/admin/assignments?course={BIG}", f"/admin/people?page={BIG}",
                f"/certificates/manage?page={BIG}", "/admin/assignments?course=%C2%B2"):
        assert admin.get(url).status_code in (200, 400), url


def test_a_twenty_digit_region_id_is_a_field_error(admin, db):
    response = admin.post("/admin/offices", data={"code": "KANIM-X", "name": "Kantor X",
                                                  "region_id": BIG})
    assert response.status_code == 400 and "di luar batas" in response.text


# --------------------------------------------------------------------------- NUL characters


def test_nul_in_the_sign_in_form_is_a_field_error(client, db):
    response = client.post("/login", data={"identifier": "sari\x00", "password": "x\x00y"})
    assert response.status_code == 400 and NUL_MESSAGE in response.text


def test_nul_in_admin_and_studio_forms_is_a_field_error(admin, app, db):
    region = admin.post("/admin/regions", data={"code": "R\x00", "name": "Wilayah"})
    assert region.status_code == 400 and NUL_MESSAGE in region.text
    person = admin.post("/admin/people/new", data={"full_name": "Sari\x00", "nip": "",
                                                   "username": "sari", "role": "trainer"})
    assert person.status_code == 400 and NUL_MESSAGE in person.text
    assert db.session.scalar(sa.select(sa.func.count(Region.id))) == 1
    assert db.session.scalar(sa.select(User).where(User.username == "sari")) is None
    import_sample_curriculum()
    course = admin.post("/studio/courses/contoh/edit", data={"title": "Contoh\x00", "order": "1"})
    assert course.status_code == 400 and NUL_MESSAGE in course.text


def test_nul_in_a_search_is_a_clear_400(admin):
    for url in ("/admin/people?q=%00", "/studio/laws?q=a%00", "/certificates/manage?q=%00"):
        response = admin.get(url)
        assert response.status_code == 400 and NUL_MESSAGE in response.text, url


def test_nul_in_a_quiz_answer_posted_without_javascript(officer):
    attempt = _start(officer)
    response = officer.post(f"/quiz/attempts/{attempt.id}", data={"q1": "1\x00", "action": "save"})
    assert response.status_code == 400 and NUL_MESSAGE in response.text


# --------------------------------------------------------------------------- content limits


def test_front_matter_nested_3000_deep_is_a_line_error_in_the_quiz_editor(trainer, db):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    source = quiz.published_revision.source.replace("title:", "extra: " + "[" * 3000 + "\ntitle:", 1)
    response = trainer.post(f"/studio/quizzes/{quiz.id}/edit",
                            data={"source": source, "base": "1", "action": "save"})
    assert response.status_code == 400 and "nests deeper than" in response.text


@pytest.mark.parametrize("source", [
    "[" * 6000,
    "".join("    " * i + "- x\n" for i in range(300)),
    "*" * 20000 + "a" + "*" * 20000,
    "a\n\n" * 3000,
    "x[^1] " * 400,
    "*[A]: a\n" * 200,
    "*a* " * 6000,
], ids=["brackets", "list-300", "stars", "blocks", "footnotes", "abbreviations", "markup"])
def test_pathological_markdown_is_refused_quickly_by_preview_and_save(trainer, db, source):
    from learning.models import Module

    started = time.process_time()
    preview = trainer.post("/studio/preview", data={"source": source})
    assert time.process_time() - started < 1.0
    assert preview.status_code == 400 and "class=\"error\"" in preview.text
    module = db.session.scalar(sa.select(Module).where(Module.slug == "unsur"))
    started = time.process_time()
    saved = trainer.post(f"/studio/modules/{module.id}/edit", data={
        "title": "Unsur", "minutes": "7", "laws": "", "reviewed": "", "source": source,
        "note": "", "base": "1", "action": "save"})
    assert time.process_time() - started < 1.0
    assert saved.status_code == 400 and "melewati batas" not in saved.text  # a field error:
    assert re.search(r"(Baris \d+:|Teksnya |Terlalu banyak tanda)", saved.text)


# --------------------------------------------------------------------------- the quiz save race


def test_two_trainers_saving_one_quiz_from_one_revision_get_a_409(trainer, app, db):
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
    source = quiz.published_revision.source
    make_user(role="trainer", username="tono", full_name="Tono Pelatih")
    other = app.test_client()
    login(other, "tono")
    first = trainer.post(f"/studio/quizzes/{quiz.id}/edit", data={
        "source": source.replace("Kuis Unsur", "Kuis Unsur A"), "base": "1", "action": "save"})
    assert first.status_code == 302
    second = other.post(f"/studio/quizzes/{quiz.id}/edit", data={
        "source": source.replace("Kuis Unsur", "Kuis Unsur B"), "base": "1", "action": "save"})
    assert second.status_code == 409
    assert "Kuis ini sudah disimpan orang lain (revisi 2 oleh Tina Pelatih)" in second.text
    numbers = db.session.scalars(sa.select(QuizRevision.number)
                                 .where(QuizRevision.quiz_id == quiz.id)).all()
    assert sorted(numbers) == [1, 2]


# --------------------------------------------------------------------------- passwords


@pytest.mark.parametrize("password", ["password123", "1234567890", "qwertyuiop", "Password123",
                                      "aaaaaaaaaa", "pimpasa123", "imigrasi123"])
def test_common_passwords_are_refused_on_change(officer, password):
    response = officer.post("/account/password", data={"current": PASSWORD, "new": password,
                                                       "confirm": password})
    assert response.status_code == 400 and "terlalu umum atau mudah ditebak" in response.text
    assert login_works(officer, "sari", PASSWORD)


def login_works(client, username, password) -> bool:
    from learning.accounts import authenticate
    return authenticate(username, password) is not None


# --------------------------------------------------------------------------- review


def _failed_result(client, db, review: str | None) -> str:
    attempt = _start(client)
    fields = answer_fields(attempt, right=False)
    client.post(f"/quiz/attempts/{attempt.id}", data=as_form(fields, action="submit"))
    return client.get(f"/quiz/attempts/{attempt.id}/result").text


EXPLANATION = "Ketiga unsur harus ada bersama-sama."


def test_a_failed_attempt_with_tries_left_teaches_without_the_key(officer, db):
    page = _failed_result(officer, db, None)
    assert "Pelajari lagi sebelum mencoba lagi" in page
    assert "UU 21/2007 Pasal 1 angka 1" in page and "/courses/contoh/unsur" in page
    assert EXPLANATION not in page and "Jawaban yang benar:" not in page
    assert "Salah" not in page and "Benar" not in page  # no question marked right or wrong


@pytest.mark.parametrize("mode", ["questions", "score"])
def test_the_review_setting_of_a_quiz(client, db, tmp_path, mode):
    from learning.cli import import_curriculum

    import_curriculum(edited_curriculum(tmp_path, ("time_limit: 0", f"time_limit: 0\nreview: {mode}")))
    make_user(username="sari")
    login(client, "sari")
    page = _failed_result(client, db, mode)
    assert EXPLANATION not in page and "Jawaban yang benar:" not in page
    assert ("Salah" in page) is (mode == "questions")
    assert ("Pelajari lagi" in page) is False
    for _ in range(2):  # the last attempt: the full review whatever the mode
        attempt = _start(client)
        client.post(f"/quiz/attempts/{attempt.id}",
                    data=as_form(answer_fields(attempt, right=False), action="submit"))
    last = client.get(f"/quiz/attempts/{attempt.id}/result").text
    assert "Jawaban yang benar:" in last


# --------------------------------------------------------------------------- no-JS rescue

LONG_QUIZ_HEAD = """---
slug: unsur-kuis
module: contoh/unsur
title: Kuis Unsur TPPO
pass_mark: 70
max_attempts: 3
shuffle: false
time_limit: 0
---
"""


def _long_quiz(tmp_path):
    questions = "".join(
        f"\n## uraian-{n}\ntype: short\nlaw: UU 21/2007 Pasal {n}\nSebutkan unsur ke-{n}.\n\n"
        f"answer: jawaban {n}\n" for n in range(1, 17))
    root = edited_curriculum(tmp_path)
    (root / "quizzes" / "contoh" / "unsur.md").write_text(LONG_QUIZ_HEAD + questions, encoding="utf-8")
    return root


def test_a_no_js_officers_16_long_answers_survive_an_expired_session(client, db, tmp_path):
    from learning.cli import import_curriculum

    import_curriculum(_long_quiz(tmp_path))
    make_user(username="sari")
    login(client, "sari")
    attempt = _start(client)
    page = client.get(f"/quiz/attempts/{attempt.id}").text
    token = re.search(r'name="rescue_token" value="([^"]+)"', page).group(1)
    answers = {f"q{n}": f"Jawaban panjang {n}: " + "uraian " * 60 for n in range(1, 17)}
    assert sum(len(v) for v in answers.values()) > 5000  # more than a cookie could carry
    db.session.execute(sa.update(LoginSession).values(expires_at=utcnow()))
    db.session.commit()
    response = client.post(f"/quiz/attempts/{attempt.id}",
                           data={**answers, "action": "submit", "rescue_token": token})
    assert response.status_code == 303 and response.headers["Location"].startswith("/login")
    assert len(response.headers.get("Set-Cookie", "")) < 4000
    assert "(16 soal) disimpan sementara di server" in client.get(response.headers["Location"]).text
    login(client, "sari")
    restored = client.get(f"/quiz/attempts/{attempt.id}")
    assert restored.status_code == 200 and "sudah dipulihkan" in restored.text
    saved = saved_responses(db.session.get(Attempt, attempt.id))
    assert len(saved) == 16 and all(value.startswith("Jawaban panjang") for value in saved.values())


def test_answers_without_the_attempts_token_are_not_kept_and_the_officer_is_told(client, db):
    import_sample_curriculum()
    make_user(username="sari")
    login(client, "sari")
    attempt = _start(client)
    db.session.execute(sa.update(LoginSession).values(expires_at=utcnow()))
    db.session.commit()
    forged = client.post(f"/quiz/attempts/{attempt.id}",
                         data={"q1": "1", "action": "save", "rescue_token": "0" * 40})
    assert forged.status_code == 303
    assert "tidak dapat disimpan" in client.get(forged.headers["Location"]).text
    login(client, "sari")
    client.get(f"/quiz/attempts/{attempt.id}")
    assert saved_responses(db.session.get(Attempt, attempt.id)) == {}
