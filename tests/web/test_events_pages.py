"""Blended training over HTTP, as an organiser, an officer and an administrator would."""
import re
import time as clock_time
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning.events import checkin, planning, zones
from learning.models import Course, EventAttendance, TrainingEvent, utcnow

from ..events_data import SECRET, live_event, make_event, sample_quiz_id
from ..factories import PASSWORD, import_sample_curriculum, login, make_office, make_user
from ..quiz_answers import answer_fields, as_form
from .pages import csv_rows, page, xlsx_rows


@pytest.fixture
def office(db):
    office = make_office()
    office.timezone = "Asia/Makassar"
    db.session.commit()
    return office


@pytest.fixture
def people(db, office):
    organiser = make_user(role="trainer", username="panitia", office=office)
    sari = make_user(username="sari", full_name="Sari Wulandari", office=office,
                     nip="198701012010121001")
    budi = make_user(username="budi", full_name="Budi Santoso", office=office)
    return organiser, sari, budi


@pytest.fixture
def event(db, people):
    organiser, sari, budi = people
    event = live_event(organiser, zone="WITA")
    planning.invite(organiser, event, [sari.id, budi.id])
    db.session.commit()
    return event


def code_now(event):
    return checkin.current_code(event, SECRET, utcnow())


def test_an_organiser_creates_an_event_in_the_office_zone_and_invites_an_office(
        client, db, people, office):
    import_sample_curriculum()
    login(client, "panitia")
    form = page(client.get("/events/new"))
    assert form.form("/events/new").fields["zone"] == "Asia/Makassar"  # the organiser's office
    response = client.post("/events/new", data={
        "title": "Peningkatan Kapasitas Pimpasa", "day": "2026-11-14", "start": "09:00",
        "end": "12:00", "zone": "Asia/Makassar", "office_id": str(office.id), "place": "Aula",
        "jp": "16", "speakers": "AKP Rina; Bareskrim Polri\nDewi; BP2MI",
        "pre_quiz_id": str(sample_quiz_id()), "post_quiz_id": str(sample_quiz_id()),
        "course_ids": [str(db.session.scalar(sa.select(Course.id)))],
        "evaluation": "Materi bermanfaat\n? Saran Anda"})
    assert response.status_code == 303
    event = db.session.scalar(sa.select(TrainingEvent))
    assert event.starts_at == datetime(2026, 11, 14, 1, 0, tzinfo=timezone.utc)
    assert [s.institution for s in event.speakers] == ["Bareskrim Polri", "BP2MI"]
    assert [i["kind"] for i in event.evaluation] == ["likert", "open", "likert", "likert"]
    client.post(f"/events/{event.id}/invite", data={"office_id": str(office.id)})
    manage = page(client.get(f"/events/{event.id}/manage"))
    assert "Hadir 0 dari 2 peserta." in manage.text
    assert "Sabtu, 14 Nov 2026 · 09.00–12.00 WITA" in manage.text


def test_bad_event_input_is_a_message_not_a_500(client, db, people):
    login(client, "panitia")
    response = client.post("/events/new", data={"title": "X", "day": "14/11", "start": "9",
                                                "end": "", "zone": "Mars/Olympus", "jp": "-3"})
    assert response.status_code == 400 and page(response).errors()
    response = client.post("/events/new", data={
        "title": "X", "day": "2026-11-14", "start": "12:00", "end": "09:00",
        "zone": "Asia/Jakarta", "jp": "2", "office_id": ""})
    assert response.status_code == 400
    assert "Jam selesai harus sesudah jam mulai." in page(response).errors()


def test_the_qr_screen_shows_a_code_that_checks_in_once(client, db, event, people):
    login(client, "panitia")
    screen = client.get(f"/events/{event.id}/qr")
    html = screen.get_data(as_text=True)
    assert "<svg" in html and 'data-refresh="' in html and "js/events." in html
    shown = re.search(r'id="checkin-code">([A-Z2-7]{4})-([A-Z2-7]{4})<', html)
    code = shown.group(1) + shown.group(2)
    client.post("/logout")
    login(client, "sari")
    confirm = page(client.get(f"/events/{event.id}/check-in?code={code}"))
    assert confirm.form("/check-in").fields["code"] == code
    response = client.post(f"/events/{event.id}/check-in", data={"code": code},
                           follow_redirects=True)
    assert "Kehadiran Anda tercatat pukul" in " ".join(page(response).flashes())
    again = client.post(f"/events/{event.id}/check-in", data={"code": code}, follow_redirects=True)
    assert "Anda sudah tercatat hadir. Kehadiran hanya dihitung sekali." in page(again).errors()
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.id))) == 1


def test_a_get_from_the_qr_records_nothing(client, db, event):
    login(client, "sari")
    assert client.get(f"/events/{event.id}/check-in?code={code_now(event)}").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.id))) == 0


def test_a_code_outside_the_session_is_refused_with_a_message(client, db, people):
    organiser, sari, _ = people
    past = make_event(organiser, zone="WIT")  # 14 November 2026: long before or after now
    planning.invite(organiser, past, [sari.id])
    db.session.commit()
    login(client, "sari")
    response = client.post(f"/events/{past.id}/check-in", data={"code": code_now(past)},
                           follow_redirects=True)
    errors = " ".join(page(response).errors())
    assert "check-in ditutup" in errors or "Check-in belum dibuka" in errors
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.id))) == 0


def test_queued_check_ins_keep_their_time_and_refuse_another_officer(client, db, event, people):
    _, sari, budi = people
    login(client, "sari")
    scanned = utcnow() - timedelta(minutes=1)
    stamp = int(scanned.timestamp() * 1000)
    code = checkin.current_code(event, SECRET, scanned)
    url = f"/events/{event.id}/check-in/queued"
    copied = client.post(url, json={"code": code, "scanned_at": stamp, "officer": budi.id})
    assert copied.status_code == 409 and copied.json["reason"] == "other_officer"
    assert "akun petugas lain" in copied.json["message"]
    sent = client.post(url, json={"code": code, "scanned_at": stamp, "officer": sari.id})
    assert sent.status_code == 201
    row = db.session.scalar(sa.select(EventAttendance))
    assert row.method == "qr_queued"
    assert abs((row.checked_in_at - scanned).total_seconds()) < 1
    resent = client.post(url, json={"code": code, "scanned_at": stamp, "officer": sari.id})
    assert resent.status_code == 200 and resent.json["reason"] == "already"
    for bad in (None, [], {"code": 1}, {"code": "X", "scanned_at": "soon", "officer": 1},
                {"code": "X", "scanned_at": 1e30, "officer": sari.id}):
        assert client.post(url, json=bad).status_code in (400, 409)
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.id))) == 1


def test_the_tick_list_and_its_exports_agree(client, db, event, people):
    organiser, sari, budi = people
    checkin.check_in(event, sari, code_now(event), SECRET, utcnow())
    db.session.commit()
    login(client, "panitia")
    response = client.post(f"/events/{event.id}/attendance/{budi.id}", data={"present": "1"},
                           follow_redirects=True)
    assert "Hadir 2 dari 2 peserta." in page(response).text
    roster = page(response).tables["roster"]
    assert [row[0].text for row in roster.body] == ["Budi Santoso",
                                                    "Sari Wulandari 198701012010121001"]
    rows = csv_rows(client.get(f"/events/{event.id}/attendance.csv"))
    xrows = xlsx_rows(client.get(f"/events/{event.id}/attendance.xlsx"))
    assert [r[0] for r in rows[1:]] == [r[0] for r in xrows[1:]] == ["Budi Santoso",
                                                                     "Sari Wulandari"]
    assert rows[1][4] == "Dicentang panitia" and rows[2][4] == "Pindai QR"
    local = zones.local(db.session.scalar(sa.select(EventAttendance.checked_in_at).where(
        EventAttendance.user_id == sari.id)), "Asia/Jakarta")  # exports use the app's zone
    assert rows[2][3] == local.strftime("%Y-%m-%d %H:%M")
    pdf = client.get(f"/events/{event.id}/attendance.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    untick = client.post(f"/events/{event.id}/attendance/{budi.id}", data={"present": "0"},
                         follow_redirects=True)
    assert "Hadir 1 dari 2 peserta." in page(untick).text


def test_officers_cannot_organise_or_read_reports(client, db, event, people):
    login(client, "sari")
    for url in (f"/events/{event.id}/manage", f"/events/{event.id}/qr", "/events/new",
                f"/events/{event.id}/report", "/events/jp/below", "/events/manage",
                f"/events/{event.id}/attendance.csv"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/events/{event.id}/attendance/{people[1].id}").status_code == 403


def test_an_officer_not_invited_does_not_see_the_event(client, db, event, office):
    make_user(username="tamu", office=office)
    login(client, "tamu")
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}/test/pre").status_code == 404
    assert client.get("/events/999999").status_code == 404


def test_dashboard_lists_the_event_and_the_jp_this_year(client, db, event, people):
    login(client, "sari")
    dashboard = page(client.get("/"))
    assert event.title in dashboard.text
    assert "JP Anda tahun" in dashboard.text and "WITA" in dashboard.text
    assert f"/events/{event.id}/evaluation" not in [href for href, _ in dashboard.links]
    checkin.check_in(event, people[1], code_now(event), SECRET, utcnow())
    db.session.commit()
    dashboard = page(client.get("/"))
    assert f"/events/{event.id}/evaluation" in [href for href, _ in dashboard.links]


def test_tests_gain_and_evaluation_through_the_pages(client, db, people):
    import_sample_curriculum()
    organiser, sari, budi = people
    event = live_event(organiser, with_tests=True)
    planning.invite(organiser, event, [sari.id, budi.id])
    db.session.commit()
    login(client, "sari")
    assert client.get(f"/events/{event.id}/test/post", follow_redirects=True).status_code == 200
    assert client.get(f"/events/{event.id}/test/middle").status_code == 404
    client.get(f"/events/{event.id}/test/pre")
    attempt = _attempt(db, event, sari, "pre")
    client.post(f"/events/{event.id}/test/pre", data=as_form(answer_fields(attempt, right=False)))
    client.post(f"/events/{event.id}/check-in", data={"code": code_now(event)})
    client.get(f"/events/{event.id}/test/post")
    attempt = _attempt(db, event, sari, "post")
    client.post(f"/events/{event.id}/test/post", data=as_form(answer_fields(attempt, right=True)))
    response = client.post(f"/events/{event.id}/evaluation", data={"e-materi": "5"})
    assert response.status_code == 400  # every Likert item must be answered
    answers = {f"e-{i['key']}": "4" for i in event.evaluation if i["kind"] == "likert"}
    assert client.post(f"/events/{event.id}/evaluation", data=answers).status_code == 303
    event_page = page(client.get(f"/events/{event.id}"))
    assert "evaluasi Anda sudah tersimpan" in event_page.text
    assert event_page.by_id["pre-score"] == "0%" and event_page.by_id["post-score"] == "100%"
    client.post("/logout")
    login(client, "panitia")
    report = page(client.get(f"/events/{event.id}/report"))
    assert report.by_id["report-attendance"] == "Kehadiran: 1/2"
    assert report.tables["gain-table"].texts()[0][2:] == ["0.0", "100.0", "1.0"]
    assert "Rangkuman ditampilkan setelah sedikitnya 5 peserta" in report.by_id["evaluation-hidden"]
    exported = csv_rows(client.get(f"/events/{event.id}/report.csv"))
    assert exported[1] == ["Sari Wulandari", "Kantor Imigrasi Batulicin", "0.0", "100.0", "1.00"]
    assert "evaluation-table" not in report.tables


def _attempt(db, event, user, phase):
    from learning.events.event_tests import attempt_of
    db.session.expire_all()
    return attempt_of(event, user, phase)


def test_below_20_list_page_and_exports_agree(client, db, people, office):
    organiser, sari, budi = people
    event = make_event(organiser, jp=16)
    planning.invite(organiser, event, [sari.id])
    db.session.add(EventAttendance(event_id=event.id, user_id=sari.id,
                                   checked_in_at=event.starts_at, method="organiser"))
    db.session.commit()
    login(client, "panitia")
    screen = page(client.get("/events/jp/below?year=2026"))
    table = screen.tables["below-table"]
    names = [row[2].text for row in table.body]
    assert names == ["Budi Santoso", "Sari Wulandari"]
    assert [row[5].text for row in table.body] == ["20", "4"]
    rows = csv_rows(client.get("/events/jp/below?year=2026&format=csv"))
    assert [r[2] for r in rows[1:-1]] == names and [r[5] for r in rows[1:-1]] == ["20", "4"]
    xrows = xlsx_rows(client.get("/events/jp/below?year=2026&format=xlsx"))
    assert [r[2] for r in xrows[1:-1]] == names
    offices = screen.tables["office-table"]
    assert offices.texts()[0][2:] == ["2", "2", "24"]  # 2 officers, both below, 20 + 4 short
    summary = csv_rows(client.get("/events/jp/below?year=2026&format=csv&table=per-kantor"))
    assert summary[1][2:] == ["2", "2", "24"]
    assert client.get("/events/jp/below?year=abc&region_id=x").status_code == 200
    assert client.get("/events/jp/below?format=doc").status_code == 404
    recap = client.get(f"/events/jp/{sari.id}/recap-2026.pdf")
    assert recap.mimetype == "application/pdf"


def test_the_officer_downloads_their_own_recap(client, db, people):
    login(client, "sari")
    response = client.get(f"/events/jp/recap-{clock_time.gmtime().tm_year}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert client.get(f"/events/jp/{people[2].id}/recap-2026.pdf").status_code == 403


def test_the_events_commands(runner, db, office):
    import_sample_curriculum()
    assert "KANIM-BTL: Asia/Makassar -> Asia/Jayapura" in runner.invoke(
        args=["events", "office-zone", "KANIM-BTL", "WIT"]).output
    assert runner.invoke(args=["events", "office-zone", "NOPE", "WIT"]).exit_code != 0
    assert "contoh: 0 JP -> 4 JP" in runner.invoke(args=["events", "course-jp", "contoh",
                                                         "4"]).output
    assert db.session.scalar(sa.select(Course.jp)) == 4
    assert db.session.scalar(sa.select(Course.published)) is True  # nothing else moved
    result = runner.invoke(args=["events", "remind", "--dry-run"])
    assert result.exit_code == 0 and "event reminders planned: 0" in result.output


def test_cancelling_says_what_moves_in_numbers_then_refuses_check_ins(client, db, event, people):
    from learning.events import jp
    from learning.models import AuditEvent
    organiser, sari, _ = people
    checkin.check_in(event, sari, code_now(event), SECRET, utcnow())
    db.session.commit()
    year = zones.local(event.starts_at, event.timezone).year
    assert jp.jp_total(sari, year) == 16
    login(client, "panitia")
    before = page(client.get(f"/events/{event.id}/cancel"))
    assert before.by_id["cancel-impact"].startswith("2 diundang, 1 hadir.")
    assert "tidak lagi mendapat 16 JP" in before.by_id["cancel-impact"]
    assert client.post(f"/events/{event.id}/cancel", data={"reason": ""}).status_code == 400
    done = client.post(f"/events/{event.id}/cancel", data={"reason": "Banjir"},
                       follow_redirects=True)
    assert "1 peserta yang hadir tidak lagi mendapat 16 JP" in " ".join(page(done).flashes())
    assert jp.jp_total(sari, year) == 0
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "retire"))
    assert "1 attendee(s) lose 16 JP" in audit.detail and "Banjir" in audit.detail
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.id))) == 1  # kept
    client.post("/logout")
    login(client, "budi")
    refused = client.post(f"/events/{event.id}/check-in", data={"code": code_now(event)},
                          follow_redirects=True)
    assert "Kegiatan ini dibatalkan." in page(refused).errors()


def test_a_scan_before_signing_in_comes_back_to_the_check_in(client, db, event):
    url = f"/events/{event.id}/check-in?code=ABCD2345"
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    signed_in = client.post(response.headers["Location"], data={
        "identifier": "sari", "password": PASSWORD,
        "next": page(client.get(response.headers["Location"])).form("/login").fields.get("next")})
    assert signed_in.headers["Location"].endswith(url)


def test_officer_event_pages_stay_light(client, db, event):
    login(client, "sari")
    for url in ("/", "/events/", f"/events/{event.id}", f"/events/{event.id}/check-in?code=X"):
        response = client.get(url)
        assert response.status_code == 200 and len(response.data) < 30_000, url


def test_the_attendance_certificate_states_the_jp_once_it_counts(client, db, event, people,
                                                                  tmp_path):
    import subprocess
    _, sari, budi = people
    login(client, "sari")
    assert client.get(f"/events/{event.id}/certificate.pdf").status_code == 404  # not present
    checkin.check_in(event, sari, code_now(event), SECRET, utcnow())
    db.session.commit()
    assert "Unduh sertifikat kehadiran (16 JP)" in page(client.get(f"/events/{event.id}")).text
    response = client.get(f"/events/{event.id}/certificate.pdf")
    assert response.mimetype == "application/pdf"
    (tmp_path / "s.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "Sari Wulandari" in text and "16 JP" in text and "WITA" in text


def test_a_trainer_sets_a_courses_jp_in_the_studio_and_the_audit_says_so(client, db, people):
    from learning.models import AuditEvent
    import_sample_curriculum()
    login(client, "panitia")
    form = page(client.get("/studio/courses/contoh/edit")).form("/studio/courses/contoh/edit")
    assert form.fields["jp"] == "0"
    data = {k: v for k, v in form.fields.items() if k != "csrf_token"}
    data["jp"] = "4"
    assert client.post("/studio/courses/contoh/edit", data=data).status_code == 302
    assert db.session.scalar(sa.select(Course.jp)) == 4
    assert db.session.scalar(sa.select(Course.published)) is True  # nothing else moved
    audit = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert audit.action == "edit" and "jp" in audit.detail
    data["jp"] = "400"
    assert client.post("/studio/courses/contoh/edit", data=data).status_code == 400
