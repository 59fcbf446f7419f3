"""A blended training day on 360 px phones: the organiser creates an event with a pre-test, a
post-test and an evaluation, and invites an office; two officers check in by QR code (one
without signal, sent when it returns), take both tests and evaluate; the event report shows
attendance 2/3, each officer's gain, and the evaluation hidden below 5 answers."""
import re
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from learning.events import zones
from learning.events.event_tests import attempt_of
from learning.extensions import db
from learning.models import EventAttendance, TrainingEvent, User

from ..factories import PASSWORD, import_sample_curriculum, make_office, make_user
from ..quiz_answers import answer_fields
from .conftest import PHONE, sign_in


def _fields(event_id: int, username: str, phase: str, right: bool) -> dict:
    """The form fields answering the drawn test right or wrong (read, then released at once)."""
    db.session.expire_all()
    event = db.session.get(TrainingEvent, event_id)
    user = db.session.scalar(db.select(User).where(User.username == username))
    fields = answer_fields(attempt_of(event, user, phase), right=right)
    db.session.rollback()
    return fields


def _answer(page, fields: dict) -> None:
    for name, values in fields.items():
        for value in values:
            control = page.locator(f"[name='{name}']").first
            kind = control.get_attribute("type")
            if kind in ("radio", "checkbox"):
                page.locator(f"[name='{name}'][value='{value}']").check()
            elif control.evaluate("e => e.tagName") == "SELECT":
                control.select_option(value)
            else:
                control.fill(value)


def _take(page, base, event_id, username, phase, right):
    page.goto(f"{base}/events/{event_id}")
    page.get_by_role("link", name=f"Kerjakan {phase}-test").click()
    expect(page.get_by_role("heading", name=f"{phase.capitalize()}-test", level=1)).to_be_visible()
    _answer(page, _fields(event_id, username, phase, right))
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator(".flash-success")).to_contain_text("Jawaban terkirim")


def _evaluate(page, base, event_id):
    page.goto(f"{base}/events/{event_id}")
    page.get_by_role("link", name="Isi evaluasi").click()
    for radio in page.locator("input[type=radio][value='4']").all():
        radio.check()
    page.get_by_label("Apa yang perlu diperbaiki").fill("Tambah studi kasus")
    page.get_by_role("button", name="Kirim evaluasi").click()
    expect(page.locator(".flash-success")).to_contain_text("tersimpan tanpa nama")


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


def test_a_blended_training_day_on_phones(live_server, browser, db):
    import_sample_curriculum()
    office = make_office()
    office.timezone = "Asia/Makassar"
    db.session.commit()
    make_user(role="trainer", username="panitia", office=office, full_name="Panitia Batulicin")
    for username, name in (("sari", "Sari Wulandari"), ("budi", "Budi Santoso"),
                           ("made", "Made Arta")):
        make_user(username=username, full_name=name, office=office)
    office_name = office.name
    db.session.rollback()  # the test thread holds no transaction while the server writes
    contexts = {}

    def phone(name):
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                      has_touch=True, locale="id-ID")
        page = context.new_page()
        page.set_default_timeout(15000)
        contexts[name] = context
        return page

    try:
        # The organiser creates the event on a phone, in WITA, running now.
        organiser = phone("panitia")
        sign_in(organiser, live_server, "panitia", PASSWORD)
        now = zones.local(datetime.now(timezone.utc), "Asia/Makassar")
        begin = max(now - timedelta(minutes=20), now.replace(hour=0, minute=0))
        finish = min(now + timedelta(minutes=90), now.replace(hour=23, minute=59))
        organiser.goto(f"{live_server}/events/new")
        organiser.get_by_label("Judul kegiatan").fill("Peningkatan Kapasitas Pimpasa Batulicin")
        organiser.get_by_label("Tanggal").fill(now.strftime("%Y-%m-%d"))
        organiser.get_by_label("Mulai").fill(begin.strftime("%H:%M"))
        organiser.get_by_label("Selesai").fill(finish.strftime("%H:%M"))
        organiser.get_by_label("Zona waktu kantor penyelenggara").select_option("Asia/Makassar")
        organiser.get_by_label("Jam pelajaran").fill("16")
        organiser.get_by_label("Narasumber").fill("AKP Rina Marlina; Bareskrim Polri\n"
                                                  "Dewi Anggraini; BP2MI")
        organiser.get_by_label("Pre-test").select_option(label="Kuis Unsur TPPO")
        organiser.get_by_label("Post-test").select_option(label="Kuis Unsur TPPO")
        _no_sideways_scroll(organiser)
        organiser.get_by_role("button", name="Simpan kegiatan").click()
        expect(organiser.locator(".flash-success")).to_contain_text("undang peserta")
        event_id = int(re.search(r"/events/(\d+)/manage", organiser.url).group(1))
        organiser.get_by_label("Semua petugas kantor").select_option(label=office_name)
        organiser.get_by_role("button", name="Tambahkan ke undangan").click()
        expect(organiser.get_by_text("Hadir 0 dari 3 peserta.")).to_be_visible()
        expect(organiser.get_by_text("WITA").first).to_be_visible()

        organiser.get_by_role("link", name="Tampilkan kode QR check-in").click()
        expect(organiser.locator(".event-qr svg")).to_be_visible()
        _no_sideways_scroll(organiser)
        code = organiser.locator("#checkin-code").inner_text().replace("-", "")
        qr_url = f"{live_server}/events/{event_id}/check-in?code={code}"  # what the QR holds

        # Sari: pre-test, then scans the QR code with signal.
        sari = phone("sari")
        sign_in(sari, live_server, "sari", PASSWORD)
        expect(sari.get_by_text("Peningkatan Kapasitas Pimpasa Batulicin")).to_be_visible()
        _take(sari, live_server, event_id, "sari", "pre", right=False)
        sari.goto(qr_url)
        sari.get_by_role("button", name="Catat kehadiran saya").click()
        expect(sari.locator(".flash-success")).to_contain_text("Kehadiran Anda tercatat pukul")
        _take(sari, live_server, event_id, "sari", "post", right=True)
        _evaluate(sari, live_server, event_id)

        # Budi: no signal at the venue; the check-in waits on the phone with its time.
        budi = phone("budi")
        sign_in(budi, live_server, "budi", PASSWORD)
        _take(budi, live_server, event_id, "budi", "pre", right=False)
        budi.goto(f"{live_server}/events/{event_id}")
        contexts["budi"].set_offline(True)
        scanned = datetime.now(timezone.utc)
        budi.get_by_label("Kode check-in").fill(code)
        budi.get_by_role("button", name="Check-in").click()
        expect(budi.locator("#checkin-queue")).to_contain_text("Tidak ada sinyal")
        db.session.expire_all()
        assert db.session.scalar(db.select(db.func.count(EventAttendance.id))) == 1
        db.session.rollback()
        budi.wait_for_timeout(1500)
        contexts["budi"].set_offline(False)  # the signal returns: the queue is sent
        expect(budi.locator("#attendance-status")).to_contain_text("Anda tercatat hadir pukul")
        db.session.expire_all()
        row = db.session.scalar(db.select(EventAttendance).join(
            User, User.id == EventAttendance.user_id).where(User.username == "budi"))
        assert row.method == "qr_queued"
        assert abs((row.checked_in_at - scanned).total_seconds()) < 5  # the time it was scanned
        assert (row.received_at - row.checked_in_at).total_seconds() >= 1
        db.session.rollback()
        _take(budi, live_server, event_id, "budi", "post", right=True)
        _evaluate(budi, live_server, event_id)
        _no_sideways_scroll(budi)

        # The organiser's report: 2 of 3 present, each officer's gain, evaluation hidden.
        organiser.goto(f"{live_server}/events/{event_id}/report")
        expect(organiser.locator("#report-attendance")).to_have_text("Kehadiran: 2/3")
        rows = organiser.locator("#gain-table tbody tr")
        expect(rows).to_have_count(2)
        for index in range(2):
            expect(rows.nth(index).locator("td").nth(4)).to_have_text("1.0")
        expect(organiser.locator("#evaluation-hidden")).to_contain_text(
            "2 peserta sudah mengisi evaluasi")
        expect(organiser.locator("#evaluation-table")).to_have_count(0)
        _no_sideways_scroll(organiser)
    finally:
        for context in contexts.values():
            context.close()
