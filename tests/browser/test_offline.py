"""Reading offline, as an officer would: download a course, lose the signal, read a module, mark it
done, get the signal back: the server counts the module done, exactly once."""
import sqlalchemy as sa
from playwright.sync_api import expect

from learning.extensions import db as _db
from learning.models import Module, ModuleProgress, ProgressEvent

from ..factories import PASSWORD, import_sample_curriculum, make_user
from .conftest import sign_in
from .officer_pages import leave_module

QUEUE_EMPTY = "() => window.PimpasaOffline.allEvents().then(events => events.length === 0)"
CONTROLLED = "() => navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"


def wait_until(page, script: str, tries: int = 100) -> None:
    """Poll an async page condition (wait_for_function does not await promises)."""
    for _ in range(tries):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {script}")


def _server_state(user_id: int, slug: str):
    """(completed_at, event kinds) as stored; ends its read so SQLite's lock is released."""
    module_id = _db.session.scalar(sa.select(Module.id).where(Module.slug == slug))
    completed = _db.session.scalar(sa.select(ModuleProgress.completed_at).where(
        ModuleProgress.user_id == user_id, ModuleProgress.module_id == module_id))
    kinds = sorted(_db.session.scalars(sa.select(ProgressEvent.kind).where(
        ProgressEvent.user_id == user_id, ProgressEvent.module_id == module_id)))
    _db.session.commit()
    return completed, kinds


def test_download_read_offline_mark_done_and_sync_once(live_server, phone, db):
    import_sample_curriculum()
    user = make_user(username="sari", full_name="Sari Wulandari")
    page, context = phone, phone.context
    sign_in(page, live_server, "sari", PASSWORD)
    page.goto(f"{live_server}/courses/contoh/")
    wait_until(page, CONTROLLED)

    download = page.get_by_role("button", name="Unduh untuk dibaca offline")
    expect(download).to_be_visible()
    expect(page.locator("#offline-download-note")).to_be_hidden()
    download.click()
    expect(page.get_by_text("Selesai. Kursus ini bisa dibaca tanpa sinyal")).to_be_visible()
    assert _server_state(user.id, "pengantar") == (None, [])  # downloading is not reading

    context.set_offline(True)
    page.goto(f"{live_server}/courses/contoh/pengantar")
    expect(page.get_by_role("heading", name="Pengantar", level=1)).to_be_visible()
    expect(page.locator("#offline-notice")).to_be_visible()
    expect(page.locator(".prose table")).to_be_visible()
    page.get_by_role("button", name="Tandai selesai").click()
    expect(page.get_by_text("Tersimpan di perangkat; akan dikirim saat online.")).to_be_visible()
    assert _server_state(user.id, "pengantar") == (None, [])  # nothing reached the server

    # A page never visited: the offline page lists the downloaded course instead of an error.
    page.goto(f"{live_server}/account/password")
    expect(page.get_by_role("heading", name="Anda sedang offline")).to_be_visible()
    expect(page.get_by_role("link", name="Kursus Contoh")).to_be_visible()
    page.get_by_role("link", name="Kursus Contoh").click()
    expect(page.get_by_role("heading", name="Kursus Contoh", level=1)).to_be_visible()

    context.set_offline(False)
    wait_until(page, QUEUE_EMPTY)
    completed, kinds = _server_state(user.id, "pengantar")
    assert completed is not None
    assert kinds == ["done", "open"]

    # Sending again (a second tab, a retry after a lost answer) changes nothing.
    page.evaluate("window.PimpasaOffline.flush()")
    assert _server_state(user.id, "pengantar") == (completed, ["done", "open"])
    page.goto(f"{live_server}/")
    expect(page.get_by_text("1 dari 3 modul")).to_be_visible()
    page.goto(f"{live_server}/courses/contoh/pengantar")
    expect(page.get_by_text("Modul ini sudah selesai.")).to_be_visible()
    expect(page.locator("#offline-notice")).to_be_hidden()
    leave_module(page, live_server)


def test_without_javascript_the_download_button_is_replaced_by_a_note(live_server, browser, db):
    import_sample_curriculum()
    make_user(username="sari")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server, "sari", PASSWORD)
        page.goto(f"{live_server}/courses/contoh/")
        expect(page.get_by_role("button", name="Unduh untuk dibaca offline")).to_be_hidden()
        expect(page.get_by_text("aktifkan JavaScript")).to_be_visible()
        page.goto(f"{live_server}/courses/contoh/pengantar")
        page.get_by_role("button", name="Tandai selesai").click()  # the plain form post
        expect(page.get_by_text("Modul ditandai selesai.")).to_be_visible()
        leave_module(page, live_server)
    finally:
        context.close()


def test_signing_out_removes_the_downloaded_pages(live_server, phone, db):
    import_sample_curriculum()
    make_user(username="sari")
    page = phone
    sign_in(page, live_server, "sari", PASSWORD)
    page.goto(f"{live_server}/courses/contoh/")
    wait_until(page, CONTROLLED)
    page.get_by_role("button", name="Unduh untuk dibaca offline").click()
    expect(page.get_by_text("Selesai. Kursus ini bisa dibaca tanpa sinyal")).to_be_visible()
    kept = "() => caches.match(location.origin + '/courses/contoh/pengantar').then(r => !!r)"
    assert page.evaluate(kept)
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    wait_until(page, kept.replace("!!r", "!r"))
    assert page.evaluate("localStorage.getItem('pimpasa.downloads')") is None
