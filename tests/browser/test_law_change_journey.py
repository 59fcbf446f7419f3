"""docs/trainer-guide.md, "When a law changes", walked in a browser at 360×740: a trainer records
a change to UU 21/2007 Pasal 2, sees its impact in numbers, the review tasks and their age; an
officer sees "Sedang ditinjau"; the trainer publishes a corrected draft with recertification and
closes the quiz's review with a note; the change reads "selesai". Then the officer searches from
the header, and the search and register pages are weighed against the 30 KB / 5 request budget."""
from playwright.sync_api import expect

from ..factories import PASSWORD, import_sample_curriculum, make_office, make_user
from .conftest import PHONE, sign_in
from .test_page_weight import BUDGET_BYTES, BUDGET_REQUESTS, measure


def _phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def test_when_a_law_changes_walked_through_on_a_phone(live_server, browser, app, db):
    import_sample_curriculum()
    office = make_office()
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    sari = make_user(username="sari", full_name="Sari Wulandari", office=office)
    from learning.learner import progress
    from learning.models import Course
    from datetime import datetime, timezone
    import sqlalchemy as sa
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for i, module in enumerate(course.live_modules):
        progress.complete_module(sari, module, datetime(2026, 11, 2, 8, i, tzinfo=timezone.utc))
    db.session.commit()

    trainer_context, page = _phone(browser)
    officer_context, officer = _phone(browser)
    try:
        sign_in(page, live_server, "tina", PASSWORD)
        sign_in(officer, live_server, "sari", PASSWORD)

        # 1. The law in the register: Studio → Daftar peraturan → UU 21/2007.
        page.get_by_role("link", name="Studio").first.click()
        page.get_by_role("link", name="Daftar peraturan").click()
        page.get_by_role("link", name="UU 21/2007", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("UU 21/2007")
        page.get_by_role("link", name="Catat perubahan peraturan ini").click()

        # 2-3. The change, and its impact in numbers before anything is written.
        page.get_by_label("Pasal yang berubah").fill("Pasal 2")
        page.get_by_label("Berlaku sejak").fill("2026-01-02")
        page.get_by_label("Diubah oleh").fill("UU 1/2026")
        page.get_by_label("Apa yang berubah").fill("Ancaman pidana dibaca menurut UU 1/2026.")
        page.get_by_role("button", name="Lihat yang terdampak").click()
        impact = page.locator("#impact")
        expect(impact).to_contain_text("1 modul")
        expect(impact).to_contain_text("1 soal kuis di 1 kuis")
        expect(impact).to_contain_text("1 sertifikat aktif milik 1 petugas")

        # 4. Recorded: review tasks open, with their age; the officer sees "Sedang ditinjau".
        page.get_by_role("button", name="Catat dan buka tinjauan").click()
        expect(page.get_by_text("2 tugas tinjauan dibuka")).to_be_visible()
        expect(page.get_by_text("terbuka 0 hari").first).to_be_visible()
        page.get_by_role("link", name="Studio").first.click()
        expect(page.get_by_text("Tinjauan perubahan hukum terbuka: 2")).to_be_visible()
        page.get_by_role("link", name="Semua tinjauan").click()
        expect(page.get_by_role("heading", name="Tinjauan perubahan hukum", level=1)).to_be_visible()
        officer.goto(f"{live_server}/courses/contoh/unsur")
        expect(officer.get_by_text("Sedang ditinjau")).to_be_visible()

        # 5a. The module: correct it in the studio, publish with recertification.
        page.get_by_role("link", name="Modul: Unsur TPPO").click()
        page.get_by_role("link", name="Buka modul di studio").click()
        source = page.get_by_label("Isi modul (Markdown)")
        source.fill(source.input_value() + "\nAncaman pidananya kini dibaca menurut UU 1/2026.\n")
        page.get_by_role("button", name="Simpan draf").click()
        expect(page.get_by_text("Draf tersimpan sebagai revisi 2.")).to_be_visible()
        page.goto(f"{live_server}/laws/reviews")
        page.get_by_role("link", name="Modul: Unsur TPPO").click()
        expect(page.get_by_text("Draf revisi 2 menunggu diterbitkan.")).to_be_visible()
        expect(page.get_by_text("1 sertifikat aktif milik 1 petugas")).to_be_visible()
        page.get_by_label("Terbitkan draf baru").check()
        page.get_by_label("Perubahan ini memerlukan sertifikasi ulang").check()
        page.get_by_role("button", name="Tutup tinjauan").click()
        expect(page.get_by_text("1 sertifikat ditandai perlu diperbarui.")).to_be_visible()

        # 5b. The quiz: reviewed, no change needed, with a note.
        page.get_by_role("link", name="Kuis: Unsur TPPO").click()
        page.get_by_label("Sudah ditinjau, tidak perlu perubahan").check()
        page.get_by_label("Catatan").fill("Soal tidak memuat angka pidana.")
        page.get_by_role("button", name="Tutup tinjauan").click()
        expect(page.get_by_text("Tinjauan ditutup.")).to_be_visible()

        # 6. Done: nothing left under review.
        page.goto(f"{live_server}/laws/reviews")
        expect(page.get_by_text("Tidak ada tugas terbuka.")).to_be_visible()
        expect(page.get_by_text("selesai")).to_be_visible()
        officer.goto(f"{live_server}/courses/contoh/unsur")
        expect(officer.get_by_text("Ancaman pidananya kini dibaca menurut UU 1/2026.")).to_be_visible()
        expect(officer.get_by_text("Sedang ditinjau")).to_have_count(0)

        # The officer searches from the header box.
        officer.get_by_label("Cari modul, istilah, atau pasal").fill("unsur tppo")
        officer.keyboard.press("Enter")
        expect(officer.locator("ol.results a").first).to_have_text("Unsur TPPO")
        expect(officer.locator("ol.results mark").first).to_be_visible()
        assert officer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        trainer_context.close()
        officer_context.close()

    weights = {path: measure(app, browser, live_server, path)
               for path in ("/search?q=Pasal+2", "/laws/", "/laws/uu-21-2007")}
    over = {path: (r["bytes"], r["requests"]) for path, r in weights.items()
            if r["bytes"] > BUDGET_BYTES or r["requests"] > BUDGET_REQUESTS}
    assert not over, over
