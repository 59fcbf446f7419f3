"""Taking a quiz in Chromium on a phone-sized screen: answers survive a reload, the result shows,
and a failed attempt with attempts left does not reveal the correct answers."""
from playwright.sync_api import expect

from learning.extensions import db
from learning.models import Attempt
from learning.quizzes.quizzing import attempt_questions, saved_responses

from ..factories import PASSWORD, import_sample_curriculum, make_user
from ..quiz_answers import answer_fields
from .conftest import sign_in


def snapshot() -> tuple[int, list, list, dict]:
    """(attempt id, draw, drawn questions, wrong answers) of the newest attempt, read and then
    released at once: the test thread must never hold the SQLite write lock the server needs."""
    db.session.expire_all()
    attempt = db.session.scalars(db.select(Attempt).order_by(Attempt.id.desc())).first()
    data = (attempt.id, list(attempt.draw), attempt_questions(attempt),
            answer_fields(attempt, right=False))
    db.session.rollback()
    return data


def saved_count(attempt_id: int) -> int:
    count = len(saved_responses(db.session.get(Attempt, attempt_id)))
    db.session.rollback()
    return count


def answer_wrong(page, questions: list, wrong: dict, number: int) -> None:
    """Answer question `number` wrongly through its labelled controls, as an officer would."""
    entry, question = questions[number - 1]
    group = page.get_by_role("group", name=f"Soal {number} dari {len(questions)}")
    for name, values in wrong.items():
        if name != f"q{number}":
            continue
        if question["type"] in ("single", "true_false", "multiple"):
            role = "checkbox" if question["type"] == "multiple" else "radio"
            for shown in values:
                text = question["options"][entry["options"][int(shown) - 1]]["text"]
                group.get_by_role(role, name=text, exact=True).check()
        else:
            group.get_by_role("textbox").fill(values[0])


def test_start_answer_half_reload_finish_and_fail_without_seeing_the_key(live_server, phone, db):
    import_sample_curriculum()
    make_user(username="sari")
    page = phone
    sign_in(page, live_server, "sari", PASSWORD)
    page.goto(f"{live_server}/courses/contoh/unsur")
    page.get_by_role("link", name="Kerjakan kuis").click()
    expect(page.get_by_role("heading", name="Kuis Unsur TPPO", level=1)).to_be_visible()
    expect(page.get_by_text("0 dari 3 terpakai, sisa 3")).to_be_visible()
    page.get_by_role("button", name="Mulai").click()
    expect(page.get_by_role("heading", name="Soal 1 dari 3")).to_be_visible()
    attempt_id, draw, questions, wrong = snapshot()

    # Answer half (the first question), let the script save it, then reload.
    answer_wrong(page, questions, wrong, 1)
    expect(page.locator("#quiz-save-status")).to_have_text("Jawaban tersimpan.")
    assert saved_count(attempt_id) == 1
    page.reload()
    expect(page.get_by_role("heading", name="Soal 1 dari 3")).to_be_visible()
    first = page.get_by_role("group", name="Soal 1 dari 3")
    if questions[0][1]["type"] in ("short", "numeric"):
        expect(first.get_by_role("textbox")).to_have_value(wrong["q1"][0])
    else:
        expect(first.locator("input:checked")).to_have_count(len(wrong["q1"]))
    expect(page.get_by_role("group", name="Soal 2 dari 3").locator("input:checked")).to_have_count(0)
    for number in (2, 3):
        answer_wrong(page, questions, wrong, number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Kirim jawaban").click()

    expect(page.get_by_role("heading", name="Hasil percobaan 1")).to_be_visible()
    expect(page.get_by_text("Belum lulus.")).to_be_visible()
    expect(page.get_by_text("Nilai Anda: 0%")).to_be_visible()
    expect(page.get_by_text("Pembahasan lengkap (kunci jawaban dan penjelasan) ditampilkan setelah")).to_be_visible()
    expect(page.get_by_text("Jawaban yang benar:")).to_have_count(0)
    expect(page.get_by_role("button", name="Coba lagi")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_answers_given_offline_are_kept_on_the_phone_and_sent_when_the_signal_returns(
        live_server, phone, db):
    import_sample_curriculum()
    make_user(username="sari")
    page = phone
    sign_in(page, live_server, "sari", PASSWORD)
    page.goto(f"{live_server}/courses/contoh/unsur/quiz")
    page.get_by_role("button", name="Mulai").click()
    page.wait_for_load_state("load")
    attempt_id, draw, questions, wrong = snapshot()
    page.context.set_offline(True)
    answer_wrong(page, questions, wrong, 2)
    expect(page.locator("#quiz-save-status")).to_contain_text("Belum tersambung")
    kept = page.evaluate(f"window.localStorage.getItem('pimpasa-quiz-{attempt_id}')")
    assert kept and '"q2"' in kept
    assert saved_count(attempt_id) == 0
    page.context.set_offline(False)
    expect(page.locator("#quiz-save-status")).to_have_text("Jawaban tersimpan.")
    assert saved_count(attempt_id) == 1
    assert page.evaluate(f"window.localStorage.getItem('pimpasa-quiz-{attempt_id}')") is None
