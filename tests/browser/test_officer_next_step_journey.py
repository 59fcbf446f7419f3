"""Issue 19 at 360×740: from the dashboard the first unread module is one tap away; an ordering
question answered by keyboard alone keeps every other item where it was; sending with blanks asks
first; after passing the last quiz the certificate is one tap away. axe runs on each officer page
and screenshots are kept under tmp/artifacts/officer-360/ for review."""
import random
import re
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import expect

from learning.extensions import db
from learning.learner.progress import complete_module
from learning.models import Attempt, AttemptAnswer, Module, User, utcnow
from learning.quizzes import quizzing

from ..factories import PASSWORD, import_sample_curriculum, make_user
from ..quiz_answers import answer_fields, curriculum_with_all_types
from .conftest import PHONE, sign_in
from .test_accessibility import AXE, axe_problems

ARTIFACTS = Path(__file__).resolve().parents[2] / "tmp" / "artifacts" / "officer-360"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _newest_attempt():
    db.session.expire_all()
    attempt = db.session.scalars(sa.select(Attempt).order_by(Attempt.id.desc())).first()
    data = (attempt.id, quizzing.attempt_questions(attempt))
    db.session.rollback()
    return data


def test_officer_next_steps_by_tap_and_keyboard(browser, live_server, db, tmp_path):
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix tests/browser`"
    import_sample_curriculum(curriculum_with_all_types(tmp_path))
    make_user(username="sari", full_name="Sari Wulandari")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID",
                                  bypass_csp=True)  # bypass only so axe can be injected
    page = context.new_page()
    page.set_default_timeout(15000)
    problems = {}

    def audit(name):
        problems[name] = axe_problems(page)
        _shot(page, name)

    try:
        page.goto(f"{live_server}/")
        expect(page.get_by_text("Selamat datang")).to_be_visible()
        assert "Silakan masuk untuk membuka halaman ini" not in page.content()
        audit("01-login")
        sign_in(page, live_server, "sari", PASSWORD)
        expect(page.get_by_role("heading", name="Kursus Saya")).to_be_visible()
        audit("02-dashboard")
        # One tap from the dashboard to the first unread module.
        start = page.locator("a.primary", has_text=re.compile(r"^Mulai modul 1"))
        assert start.bounding_box()["y"] < PHONE["height"]  # above the fold
        assert start.get_attribute("href") == "/courses/contoh/pengantar"
        start.tap()
        expect(page).to_have_url(f"{live_server}/courses/contoh/pengantar")
        audit("03-module")
        page.goto(f"{live_server}/courses/contoh/")
        primary = page.locator("main a.primary", has_text=re.compile(r"^Lanjutkan modul 1"))
        assert primary.bounding_box()["y"] < PHONE["height"]
        audit("04-course")

        # The ordering question by keyboard only.
        page.goto(f"{live_server}/courses/contoh/penutup/quiz")
        audit("05-quiz-intro")
        page.get_by_role("button", name="Mulai").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Soal 1 dari 7")).to_be_visible()
        attempt_id, questions = _newest_attempt()
        number = next(i for i, (_, q) in enumerate(questions, start=1) if q["type"] == "ordering")
        entry, question = questions[number - 1]
        selects = page.locator(f"select.order[name^='q{number}-']")
        assert selects.count() == 3
        selects.nth(0).focus()
        for shown, index in enumerate(entry["items"]):
            if shown:
                page.keyboard.press("Tab")  # the next item's select
            for _ in range(index + 1):
                page.keyboard.press("ArrowDown")  # each step fires change: nothing else moves
            expect(selects.nth(shown)).to_have_value(str(index + 1))
            for earlier in range(shown):
                expect(selects.nth(earlier)).to_have_value(str(entry["items"][earlier] + 1))
        status = page.locator(f"#q{number}-order-status")
        expect(status).to_contain_text("nomor")
        expect(status).not_to_contain_text("lebih dari satu")
        audit("06-quiz-attempt")
        # Send by keyboard with six questions blank: the page asks first and lists them.
        page.get_by_role("button", name="Kirim jawaban").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#confirm-submit")).to_be_visible()
        expect(page.locator("#confirm-submit a")).to_have_count(6)
        audit("07-quiz-confirm")
        page.get_by_role("button", name="Kirim sekarang").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Hasil percobaan 1")).to_be_visible()
        audit("08-quiz-result-retry")
        db.session.expire_all()
        row = db.session.scalar(sa.select(AttemptAnswer).where(
            AttemptAnswer.attempt_id == attempt_id, AttemptAnswer.question_slug == question["slug"]))
        assert row.correct is True, row.response  # the order the officer meant
        db.session.rollback()

        # The other modules done; the last quiz passed; the certificate is one tap away.
        sari = db.session.scalar(sa.select(User).where(User.username == "sari"))
        for slug in ("pengantar", "unsur"):
            complete_module(sari, db.session.scalar(sa.select(Module).where(Module.slug == slug)),
                            utcnow())
        quiz = db.session.scalar(sa.select(Module).where(Module.slug == "penutup")).quiz
        attempt = quizzing.start_attempt(sari, quiz, utcnow(), random.Random(3)).attempt
        quizzing.save_answers(attempt, answer_fields(attempt, True), utcnow())
        quizzing.submit_attempt(attempt, utcnow())
        second = attempt.id
        db.session.commit()
        page.goto(f"{live_server}/quiz/attempts/{second}/result")
        audit("09-quiz-result-certificate")
        page.get_by_role("link", name="Lihat sertifikat").tap()
        expect(page).to_have_url(re.compile(r"/certificates/[^/]+$"))
        _shot(page, "10-certificate")
        page.goto(f"{live_server}/")
        expect(page.locator(".course-card .done", has_text="Selesai")).to_be_visible()
        audit("11-dashboard-done")
    finally:
        context.close()
    bad = {name: found for name, found in problems.items() if found}
    assert not bad, bad
