"""A trainer writes, previews and publishes a module in the studio; an officer reads it on a
phone."""
import io

from PIL import Image
from playwright.sync_api import expect

from ..factories import PASSWORD, import_sample_curriculum, make_user
from .conftest import sign_in

BODY = """## Modus rekrutmen daring

Perekrut kini memakai media sosial untuk menawarkan pekerjaan palsu[^1].

| Tanda bahaya | Yang dilakukan Pimpasa |
|---|---|
| Gaji tidak masuk akal | Cek ke Kantor Imigrasi |
| Paspor ditahan agen | Laporkan segera |

[^1]: UU 21/2007 Pasal 4.
"""


def _poster_png() -> bytes:
    """A 'flow chart' poster as a trainer might export it from a slide: 1600 px wide."""
    image = Image.new("RGB", (1600, 900), (255, 255, 255))
    for x in range(0, 1600, 200):
        image.paste((11, 79, 108), (x + 20, 350, x + 180, 550))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_trainer_writes_previews_and_publishes_then_officer_reads_on_a_phone(
        live_server, browser, phone, db):
    import_sample_curriculum()
    make_user(role="trainer", username="tina", full_name="Tina Pelatih")
    make_user(username="sari", full_name="Sari Wulandari")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = desk.new_page()
    page.set_default_timeout(15000)
    sign_in(page, live_server, "tina", PASSWORD)
    page.get_by_role("link", name="Studio").first.click()
    expect(page.get_by_role("heading", name="Studio", level=1)).to_be_visible()
    page.get_by_role("link", name="Kelola kursus").first.click()
    page.get_by_role("link", name="Tambah modul").click()
    page.get_by_label("Judul").fill("Modus Rekrutmen Daring")
    page.get_by_label("Slug modul").fill("rekrutmen-daring")
    page.get_by_role("button", name="Buat modul").click()
    expect(page.get_by_text("Modul dibuat.")).to_be_visible()

    page.get_by_label("Waktu baca (menit)").fill("8")
    page.get_by_label("Dasar hukum (satu per baris)").fill("UU 21/2007 Pasal 4\nUU 18/2017 Pasal 5")
    page.get_by_label("Tanggal ditinjau").fill("2026-12-01")
    source = page.get_by_label("Isi modul (Markdown)")
    source.fill(BODY)
    # With JavaScript the preview follows the typing (debounced), through the server's sanitiser.
    expect(page.locator("#preview table td").first).to_have_text("Gaji tidak masuk akal")
    expect(page.locator("#preview .footnote")).to_be_attached()

    # Upload a poster: it is re-encoded and its Markdown lands in the text at the cursor.
    page.get_by_label("Berkas gambar", exact=False).set_input_files(
        {"name": "bagan-alur.png", "mimeType": "image/png", "buffer": _poster_png()})
    page.get_by_label("Teks alternatif").fill("Bagan alur pelaporan")
    page.get_by_role("button", name="Unggah", exact=True).click()
    expect(page.locator("#upload-result")).to_contain_text("Gambar tersimpan")
    assert "![Bagan alur pelaporan](/media/" in source.input_value()
    expect(page.locator("#preview img")).to_have_attribute("alt", "Bagan alur pelaporan")

    # The server-side preview (what works without JavaScript) shows the same thing.
    page.get_by_role("button", name="Pratinjau", exact=True).click()
    expect(page.get_by_text("Pratinjau teks yang belum disimpan.")).to_be_visible()
    expect(page.locator("#preview table")).to_be_visible()
    # the picture is served, as one of its responsive copies: a phone never gets the 1,200 px one
    assert page.locator("#preview img").evaluate("img => img.complete && img.naturalWidth") in (360, 720)

    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_text("Draf tersimpan sebagai revisi 1.")).to_be_visible()
    page.get_by_role("button", name="Terbitkan revisi 1").click()
    expect(page.get_by_text("Revisi 1 diterbitkan.")).to_be_visible()
    desk.close()

    officer = phone
    sign_in(officer, live_server, "sari", PASSWORD)
    officer.get_by_role("link", name="Kursus Contoh", exact=True).click()
    officer.get_by_role("link", name="Modus Rekrutmen Daring").click()
    expect(officer.get_by_role("heading", name="Modus Rekrutmen Daring", level=1)).to_be_visible()
    expect(officer.locator(".prose table")).to_be_visible()
    expect(officer.locator(".prose .footnote")).to_contain_text("UU 21/2007 Pasal 4.")
    poster = officer.get_by_role("img", name="Bagan alur pelaporan")
    poster.scroll_into_view_if_needed()
    expect(poster).to_be_visible()
    officer.wait_for_function(
        "() => { const img = document.querySelector('.prose img'); "
        "return img && img.complete && img.naturalWidth > 0; }")
    box = poster.bounding_box()
    assert box["width"] <= 360  # scaled to the phone, not overflowing
    assert officer.evaluate("document.documentElement.scrollWidth") <= 360
    expect(officer.get_by_text("UU 18/2017 Pasal 5")).to_be_visible()
