"""Tried at 360×740 as an administrator would: the report pages pass axe (nothing serious or
critical), nothing is wider than the screen, and each main admin page is saved as a screenshot
(SCREENSHOT_DIR, else test-artifacts/phone-360) for review. And the image budget: a module with
one 1,200×800 photo, uploaded through the studio, costs a 360 px phone at most 30 KB on a first
visit, the photo included."""
import io
import os
from pathlib import Path

import sqlalchemy as sa

from learning.content.revisions import publish_module_revision, save_module_revision
from learning.models import Course, Image, Module, Office, User

from ..factories import PASSWORD, import_sample_curriculum, login, make_user
from ..photos import photo_like
from ..report_data import demo_population
from .conftest import PHONE
from .network import NetworkLog, sign_in_quietly
from .officer_pages import leave_module
from .test_accessibility import AXE, axe_problems

SHOTS = Path(os.environ.get("SCREENSHOT_DIR")
             or Path(__file__).resolve().parents[2] / "test-artifacts" / "phone-360")
BUDGET_BYTES = 30 * 1024


def test_reports_and_admin_pages_on_a_phone(app, db, browser, live_server):
    assert AXE.exists(), "axe-core is missing: run `npm ci --prefix tests/browser`"
    with app.test_request_context():
        demo_population(120)
    office = db.session.scalar(sa.select(Office).order_by(Office.id))
    long_nip = make_user(username="nippanjang", nip="199501012020011999", office=office,
                         full_name="Petugas Dengan Nama Yang Cukup Panjang Sekali")
    make_user(role="admin", username="kepala")
    region_id, office_id, officer_id = office.region_id, office.id, long_nip.id
    course_slug = db.session.scalar(sa.select(Course.slug).order_by(Course.id))
    db.session.commit()
    db.session.close()  # nothing held open while the browser's requests write
    pages = {
        "laporan-nasional": "/admin/reports/",
        "laporan-kanwil": f"/admin/reports/region/{region_id}",
        "laporan-kantor": f"/admin/reports/office/{office_id}",
        "laporan-petugas": f"/admin/reports/officer/{officer_id}",
        "laporan-perlu-bantuan": "/admin/reports/help",
        "laporan-kuis": "/admin/reports/quizzes",
    }
    admin_pages = {"penugasan": "/admin/assignments", "orang": "/admin/people",
                   "studio": "/studio/", "studio-kursus": f"/studio/courses/{course_slug}/"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  locale="id-ID", bypass_csp=True)
    try:
        sign_in_quietly(context, live_server, "kepala", PASSWORD)
        page = context.new_page()
        page.set_default_timeout(20000)
        problems, too_wide = {}, {}
        for name, url in {**pages, **admin_pages}.items():
            response = page.goto(live_server + url)
            assert response.status == 200, (url, response.status)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[url] = (width, page.evaluate("""() => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > 362).slice(0, 4)
                    .map(e => e.tagName + '.' + e.className + '#' + e.id)"""))
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
            if name in pages:
                problems[url] = axe_problems(page)
        assert not {u: p for u, p in problems.items() if p}, problems
        assert not too_wide, too_wide
        # the chart text is at least 12 px on this screen, and labels are whole
        page.goto(live_server + "/admin/reports/")
        smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            '.chart text')].map(t => t.getBoundingClientRect().height))""")
        assert smallest >= 12, smallest
        labels = page.eval_on_selector_all("#chart-units text.chart-label",
                                           "ts => ts.map(t => t.textContent).join(' ')")
        assert labels and "…" not in labels
        # the scroll regions are reached by the keyboard
        region = page.locator(".table-scroll").first
        region.focus()
        assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
        # the assignment form shows only the target that applies
        page.goto(live_server + "/admin/assignments")
        page.select_option("select[name=scope]", "office")
        assert page.is_visible("select[name=office_id]")
        assert not page.is_visible("select[name=region_id]")
        assert not page.is_visible("textarea[name=officers]")
        page.select_option("select[name=scope]", "user")
        assert page.is_visible("textarea[name=officers]")
        assert not page.is_visible("select[name=office_id]")
        page.screenshot(path=str(SHOTS / "penugasan-petugas.png"), full_page=True)
    finally:
        context.close()
    assert len(list(SHOTS.glob("*.png"))) >= len(pages) + len(admin_pages)


def test_a_module_with_one_photo_weighs_at_most_30_kb_at_360_px(app, db, browser, live_server):
    import_sample_curriculum()
    make_user(role="trainer", username="tina")
    make_user(username="sari", full_name="Sari Wulandari")
    client = app.test_client()
    login(client, "tina")
    upload = client.post("/media/upload", headers={"Accept": "application/json"}, data={
        "image": (io.BytesIO(photo_like(1200, 800)), "pos-lintas-batas.jpg"),
        "alt": "Pos lintas batas"})
    assert upload.status_code == 201, upload.data
    image = db.session.scalar(sa.select(Image))
    assert (image.width, image.height) == (1200, 800)
    module = db.session.scalar(sa.select(Module).where(Module.slug == "pengantar"))
    revision = save_module_revision(
        module, title=module.title, minutes=module.minutes, laws=module.laws, reviewed=None,
        source=upload.json["markdown"] + "\n\nPemeriksaan di pos lintas batas dimulai dari "
        "dokumen perjalanan.\n", author=db.session.scalar(sa.select(User).filter_by(username="tina")))
    publish_module_revision(module, revision)
    sha, stored_bytes = image.sha256, image.byte_size
    db.session.commit()
    db.session.close()

    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                  has_touch=True, locale="id-ID")
    try:
        sign_in_quietly(context, live_server, "sari", PASSWORD)
        page = context.new_page()
        log = NetworkLog.attach(context, page)
        page.goto(f"{live_server}/courses/contoh/pengantar", wait_until="load")
        photo = page.locator("main img").first
        photo.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        transfers = log.over_network
        chosen = page.evaluate("img => img.currentSrc", photo.element_handle())
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "modul-dengan-foto.png"), full_page=True)
        leave_module(page, live_server)
    finally:
        context.close()
    assert f"/media/360/{sha}." in chosen, chosen
    images = [t for t in transfers if "/media/" in t.url]
    assert len(images) == 1 and "/media/360/" in images[0].url, [t.url for t in images]
    total = sum(t.encoded_bytes for t in transfers)
    print(f"module with one photo at 360 px: {total} bytes in {len(transfers)} requests "
          f"(photo {images[0].encoded_bytes} bytes; stored original {stored_bytes} bytes)")
    assert total <= BUDGET_BYTES, [(t.url.replace(live_server, ""), t.encoded_bytes) for t in transfers]
