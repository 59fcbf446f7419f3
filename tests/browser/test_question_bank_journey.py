"""A trainer brings a Moodle GIFT bank into a module's quiz: the report first, nothing written
until the losses are accepted, then a draft that she publishes; an officer then meets the
imported matching question with its distractor."""
from pathlib import Path

from playwright.sync_api import expect

from ..factories import PASSWORD, import_sample_curriculum, make_user
from .conftest import sign_in

GIFT = Path(__file__).parents[1] / "data" / "moodle" / "contoh.gift"


def test_trainer_imports_a_gift_bank_after_reading_the_report(live_server, browser, phone, db):
    import_sample_curriculum()
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    make_user(username="sari", full_name="Sari Wulandari")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = desk.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "tina", PASSWORD)
    page.goto(f"{live_server}/studio/")
    page.get_by_role("link", name="Kelola kursus").first.click()
    page.get_by_role("link", name="Penutup").first.click()
    page.get_by_role("link", name="Impor bank soal (GIFT, Moodle XML, Aiken)").click()
    page.get_by_label("Berkas bank soal (GIFT, Moodle XML atau Aiken)").set_input_files(str(GIFT))
    page.get_by_role("button", name="Periksa berkas").click()

    expect(page.get_by_text("16 soal dibaca: 12 dapat diimpor, 4 ditolak.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Soal esai tidak diimpor")
    page.get_by_role("button", name="Impor 12 soal sebagai draf").click()
    expect(page.get_by_text("Centang pernyataan di bawah laporan")).to_be_visible()
    page.get_by_label("Saya sudah membaca laporan").check()
    page.get_by_role("button", name="Impor 12 soal sebagai draf").click()
    expect(page.get_by_text("12 soal ditambahkan ke kuis sebagai draf revisi 1")).to_be_visible()
    page.get_by_role("button", name="Terbitkan revisi 1").click()
    expect(page.get_by_text("Revisi kuis 1 diterbitkan")).to_be_visible()
    desk.close()

    sign_in(phone, live_server, "sari", PASSWORD)
    phone.goto(f"{live_server}/courses/contoh/penutup/quiz")
    phone.get_by_role("button", name="Mulai").click()
    expect(phone.get_by_text("Pasangkan tugas dengan lembaga.")).to_be_visible()
    expect(phone.locator("select option", has_text="Bea Cukai").first).to_be_attached()
