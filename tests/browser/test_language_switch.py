"""Choosing English on the sign-in page, as a new officer would, and coming back to Indonesian."""
from playwright.sync_api import expect

from ..factories import PASSWORD, import_sample_curriculum, make_user


def test_english_from_the_sign_in_page_and_back(live_server, phone, db):
    import_sample_curriculum()
    make_user(username="sari", full_name="Sari Wulandari")
    page = phone
    page.goto(f"{live_server}/login")
    page.get_by_label("Bahasa (Language)").select_option("en")
    page.get_by_role("button", name="Ganti").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username or NIP").fill("sari")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My Courses")).to_be_visible()
    expect(page.get_by_text("0 of 3 modules")).to_be_visible()
    page.get_by_role("link", name="Kursus Contoh", exact=True).click()
    expect(page.get_by_role("button", name="Download to read offline")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Language").select_option("id")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("button", name="Unduh untuk dibaca offline")).to_be_visible()
    page.get_by_role("link", name="Kursus Saya").first.click()
    expect(page.get_by_role("heading", name="Kursus Saya")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")
