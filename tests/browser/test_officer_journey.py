"""The officer's first journey, in Chromium on a phone-sized screen."""
from playwright.sync_api import expect

from ..factories import PASSWORD, import_sample_curriculum, make_user
from .conftest import sign_in


def test_sign_in_read_a_module_mark_it_done_and_see_progress(live_server, phone, db):
    import_sample_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    page = phone

    sign_in(page, live_server, "sari", PASSWORD)
    expect(page.get_by_role("heading", name="Kursus Saya")).to_be_visible()
    expect(page.get_by_text("0 dari 3 modul")).to_be_visible()

    page.get_by_role("link", name="Kursus Contoh", exact=True).click()
    page.get_by_role("link", name="Pengantar", exact=True).click()
    expect(page.get_by_role("heading", name="Pengantar", level=1)).to_be_visible()
    expect(page.locator(".prose table")).to_be_visible()
    page.get_by_role("button", name="Tandai selesai").click()
    expect(page.get_by_text("Modul ditandai selesai.")).to_be_visible()

    page.get_by_role("link", name="Kursus Saya").first.click()
    expect(page.get_by_text("1 dari 3 modul")).to_be_visible()
    bar = page.locator(".course-card progress").first
    assert bar.get_attribute("value") == "1" and bar.get_attribute("max") == "3"
    # Nothing overflows sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
