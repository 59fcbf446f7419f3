"""On a phone: the officer finds the certificate, downloads the PDF; a stranger checks it."""
import os

import sqlalchemy as sa

from learning.learner import progress
from learning.models import Course, utcnow

from ..factories import PASSWORD, import_sample_curriculum, make_office, make_user
from .conftest import sign_in

SHOTS = os.environ.get("SCREENSHOT_DIR")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_officer_downloads_the_certificate_and_a_stranger_verifies_it(db, live_server, phone,
                                                                      browser):
    import_sample_curriculum()
    officer = make_user(username="sari", full_name="Sari Wulandari", nip="198701012010121001",
                        office=make_office())
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for module in course.live_modules:
        progress.complete_module(officer, module, utcnow())
    db.session.commit()

    sign_in(phone, live_server, "sari", PASSWORD)
    shot(phone, "dashboard")
    assert "Selamat!" in phone.locator("main").inner_text()
    phone.get_by_role("link", name="Sertifikat Saya").first.click()
    phone.wait_for_url(f"{live_server}/certificates")
    shot(phone, "mine")
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("sertifikat-PIMPASA-")
    path = download.path()
    assert os.path.getsize(path) < 100 * 1024
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    number = download.suggested_filename.removeprefix("sertifikat-").removesuffix(".pdf")
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    stranger = context.new_page()
    stranger.goto(f"{live_server}/verify")
    stranger.get_by_label("Nomor sertifikat").fill(number.lower())
    stranger.get_by_role("button", name="Periksa").click()
    stranger.wait_for_url(f"{live_server}/verify/{number}")
    shot(stranger, "verify")
    text = stranger.locator("main").inner_text()
    assert "SAH" in text and "Sari Wulandari" in text and "198701012010121001" not in text
    context.close()
