"""Blended training without HTTP: event times in WIB/WITA/WIT, QR check-in rules, the tick list
and its exports."""
import csv
import re
import io
import random
import subprocess
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from learning.events import checkin, planning, roster, zones
from learning.events.views.dashboard import event_when
from learning.models import EventAttendance

from ..events_data import SECRET, code_at, make_event, utc
from ..factories import make_office, make_user


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def people(db, office):
    organiser = make_user(role="trainer", username="panitia", office=office)
    sari = make_user(username="sari", full_name="Sari Wulandari", office=office)
    budi = make_user(username="budi", full_name="Budi Santoso", office=office)
    return organiser, sari, budi


@pytest.fixture
def event(db, people, office):
    organiser, sari, budi = people
    event = make_event(organiser, office=office)
    planning.invite(organiser, event, [sari.id, budi.id])
    db.session.commit()
    return event


# 14 November 2026, 09.00-12.00 WITA = 01.00-04.00 UTC
START = utc(2026, 11, 14, 1, 0)


@pytest.mark.parametrize("zone, label, utc_hour", [("WIB", "WIB", 2), ("WITA", "WITA", 1),
                                                    ("WIT", "WIT", 0)])
def test_session_times_are_stored_in_utc_and_shown_in_the_office_zone(app, db, zone, label,
                                                                      utc_hour):
    event = make_event(zone=zone)
    assert event.starts_at == utc(2026, 11, 14, utc_hour, 0)
    assert event.timezone == zones.zone_name(zone)
    assert zones.wall_clock(event.starts_at, event.timezone) == f"09.00 {label}"
    with app.test_request_context():
        assert event_when(event).endswith(f"09.00–12.00 {label}")


def test_an_event_in_wit_and_one_in_wib_at_the_same_wall_clock_are_two_hours_apart(db):
    east, west = make_event(zone="WIT"), make_event(zone="WIB")
    assert west.starts_at - east.starts_at == timedelta(hours=2)


def test_an_end_before_the_start_is_refused(db):
    with pytest.raises(planning.EventError) as caught:
        make_event(start=time(12), end=time(9))
    assert caught.value.code == "times"


def test_a_scan_during_the_session_checks_in_once(db, event, people):
    _, sari, _ = people
    at = START + timedelta(minutes=10)
    result = checkin.check_in(event, sari, code_at(event, at), SECRET, at)
    db.session.commit()
    assert result.attendance.checked_in_at == at and result.attendance.method == "qr"
    with pytest.raises(checkin.CheckInRefused) as second:
        checkin.check_in(event, sari, code_at(event, at + timedelta(minutes=5)), SECRET,
                         at + timedelta(minutes=5))
    assert second.value.code == "already"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(EventAttendance.id))) == 1


def test_a_code_outside_the_session_is_refused(db, event, people):
    _, sari, _ = people
    early = START - timedelta(hours=2)
    late = START + timedelta(hours=3, minutes=5)
    for moment, reason in ((early, "too_early"), (late, "too_late")):
        with pytest.raises(checkin.CheckInRefused) as caught:
            checkin.check_in(event, sari, code_at(event, moment), SECRET, moment)
        assert caught.value.code == reason
    assert roster.attendance_counts(event) == (0, 2)


def test_a_stale_or_forged_code_is_refused(db, event, people):
    _, sari, _ = people
    at = START + timedelta(minutes=30)
    photographed = code_at(event, at - timedelta(minutes=10))  # a photo sent on to someone
    for code in (photographed, "AAAAAAAA", "", "x" * 40):
        with pytest.raises(checkin.CheckInRefused) as caught:
            checkin.check_in(event, sari, code, SECRET, at)
        assert caught.value.code == "bad_code"
    other = make_event(title="Kegiatan lain")
    with pytest.raises(checkin.CheckInRefused):
        checkin.check_in(event, sari, code_at(other, at), SECRET, at)


def test_a_typed_code_tolerates_dashes_case_and_the_previous_slot(db, event, people):
    _, sari, _ = people
    at = START + timedelta(minutes=20)
    code = code_at(event, at - timedelta(seconds=checkin.SLOT_SECONDS))
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert checkin.check_in(event, sari, typed, SECRET, at).attendance is not None


def test_an_officer_not_invited_is_refused(db, event, office):
    stranger = make_user(username="tamu", office=office)
    at = START + timedelta(minutes=5)
    with pytest.raises(checkin.CheckInRefused) as caught:
        checkin.check_in(event, stranger, code_at(event, at), SECRET, at)
    assert caught.value.code == "not_invited"


def test_a_queued_check_in_keeps_the_time_it_was_scanned(db, event, people):
    _, sari, _ = people
    scanned = START + timedelta(minutes=15)
    sent = START + timedelta(hours=5)  # signal came back after the session
    result = checkin.check_in(event, sari, code_at(event, scanned), SECRET, sent,
                              scanned_at=scanned, scanned_for=sari.id)
    assert result.queued and result.attendance.checked_in_at == scanned
    assert result.attendance.received_at == sent and result.attendance.method == "qr_queued"


def test_a_queued_check_in_copied_for_another_officer_is_refused(db, event, people):
    _, sari, budi = people
    scanned = START + timedelta(minutes=15)
    with pytest.raises(checkin.CheckInRefused) as caught:
        checkin.check_in(event, budi, code_at(event, scanned), SECRET, scanned,
                         scanned_at=scanned, scanned_for=sari.id)
    assert caught.value.code == "other_officer"
    assert roster.attendance_counts(event) == (0, 2)


def test_a_queued_check_in_claiming_a_time_outside_the_session_is_refused(db, event, people):
    _, sari, _ = people
    claimed = START - timedelta(hours=3)
    with pytest.raises(checkin.CheckInRefused) as caught:
        checkin.check_in(event, sari, code_at(event, claimed), SECRET, START,
                         scanned_at=claimed, scanned_for=sari.id)
    assert caught.value.code == "too_early"
    with pytest.raises(checkin.CheckInRefused) as future:
        checkin.check_in(event, sari, code_at(event, START), SECRET, START - timedelta(hours=1),
                         scanned_at=START, scanned_for=sari.id)
    assert future.value.code == "future"


def test_the_organiser_ticks_and_a_later_scan_does_not_count_twice(db, event, people):
    organiser, sari, _ = people
    checkin.tick(organiser, event, sari, START + timedelta(minutes=40))
    db.session.commit()
    at = START + timedelta(minutes=50)
    with pytest.raises(checkin.CheckInRefused) as caught:
        checkin.check_in(event, sari, code_at(event, at), SECRET, at)
    assert caught.value.code == "already"
    db.session.rollback()
    assert roster.attendance_counts(event) == (1, 2)


def test_attendance_exports_agree_with_the_list(app, db, event, people, tmp_path):
    organiser, sari, _ = people
    at = START + timedelta(minutes=3)
    checkin.check_in(event, sari, code_at(event, at), SECRET, at)
    db.session.commit()
    with app.test_request_context():
        table = roster.roster_table(event)
        from learning.reports.export import table_csv
        rows = list(csv.reader(io.StringIO(table_csv(table, "Asia/Makassar").decode("utf-8-sig"))))
    assert rows[0][:2] == ["Nama", "NIP"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Sari Wulandari"][3] == "2026-11-14 09:03"  # local time of the venue
    assert by_name["Budi Santoso"][3] == ""
    pdf = tmp_path / "hadir.pdf"
    pdf.write_bytes(roster.roster_pdf(event))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True).stdout
    assert "Tanda tangan" in text and "Sari Wulandari" in text and "09.03" in text
    assert "Hadir 1 dari 2 peserta" in text


def test_every_name_prints_in_full_in_the_attendance_pdf_over_several_pages(db, office,
                                                                           tmp_path):
    organiser = make_user(role="trainer", office=office)
    long_name = "Ni Luh Ayu Śrī Dewī Kusumawardhani Putri Maharani Sukmawati"
    ayu = make_user(full_name=long_name, office=office)
    others = [make_user(full_name=f"Petugas Nomor {n:02d}", office=office) for n in range(30)]
    event = make_event(organiser)
    planning.invite(organiser, event, [ayu.id] + [o.id for o in others])
    db.session.commit()
    pdf = tmp_path / "hadir.pdf"
    pdf.write_bytes(roster.roster_pdf(event))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    words = text.split()
    assert all(word in words for word in long_name.split())  # wrapped in its cell, never cut
    assert "…" not in text
    assert all(f"Petugas Nomor {n:02d}" in text for n in range(30))
    assert "Hadir 0 dari 31 peserta" in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) == 2


def test_invitations_by_office_count_each_officer_once(db, event, people, office):
    organiser, sari, budi = people
    added = planning.invite(organiser, event, planning.officers_in(office_id=office.id))
    assert added == 0  # sari and budi were invited; the trainer is not an officer
    assert planning.invited_count(event) == 2


def test_the_officer_sees_upcoming_events_in_calendar_order(db, people, office):
    organiser, sari, _ = people
    later = make_event(organiser, day=date(2026, 12, 1), title="Kedua")
    sooner = make_event(organiser, day=date(2026, 11, 20), title="Pertama")
    planning.invite(organiser, later, [sari.id])
    planning.invite(organiser, sooner, [sari.id])
    titles = [item.event.title for item in planning.officer_events(sari, utc(2026, 11, 15))]
    assert titles == ["Pertama", "Kedua"]


def test_slots_rotate(db, event):
    rng = random.Random(4)
    moments = [START + timedelta(seconds=rng.randrange(0, 3 * 3600)) for _ in range(5)]
    codes = {code_at(event, m) for m in moments}
    assert len(codes) == 5
