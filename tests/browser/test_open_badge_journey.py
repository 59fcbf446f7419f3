"""On a phone: the officer downloads the Open Badges file; a stranger uploads it on the public
verification page and sees it accepted, then a copy with one character changed refused."""
import os

import sqlalchemy as sa

from learning.learner import progress
from learning.models import Course, utcnow

from ..factories import PASSWORD, import_sample_curriculum, make_office, make_user
from .conftest import sign_in


def test_officer_downloads_the_badge_and_a_stranger_verifies_the_file(db, live_server, phone,
                                                                      browser, tmp_path):
    import_sample_curriculum()
    officer = make_user(username="sari", full_name="Sari Wulandari", nip="198701012010121001",
                        office=make_office())
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    for module in course.live_modules:
        progress.complete_module(officer, module, utcnow())
    db.session.commit()

    sign_in(phone, live_server, "sari", PASSWORD)
    phone.goto(f"{live_server}/certificates")
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Unduh Open Badge").click()
    download = download_info.value
    assert download.suggested_filename.startswith("open-badge-PIMPASA-")
    token = open(download.path(), encoding="ascii").read()
    assert token.count(".") == 2

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    stranger = context.new_page()
    stranger.goto(f"{live_server}/verify")
    stranger.get_by_label("Berkas Open Badge (.jwt)").set_input_files(download.path())
    stranger.get_by_role("button", name="Verifikasi berkas").click()
    text = stranger.locator("main").inner_text()
    assert "SAH" in text and "Sari Wulandari" in text and "berkas Open Badge sah" in text
    assert "198701012010121001" not in text

    changed = tmp_path / "ubah.jwt"
    index = len(token) // 2
    changed.write_text(token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1:])
    stranger.goto(f"{live_server}/verify")
    stranger.get_by_label("Berkas Open Badge (.jwt)").set_input_files(str(changed))
    stranger.get_by_role("button", name="Verifikasi berkas").click()
    assert "Berkas Open Badge tidak sah" in stranger.locator("main").inner_text()
    assert os.path.getsize(download.path()) < 8 * 1024
    context.close()
