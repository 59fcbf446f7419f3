"""People: CSV import with a preview (errors by line, nothing written until applied, the same
file twice changes nothing), deactivation ends sessions, password resets, and the guards."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from learning.admin import people, people_import
from learning.accounts import authenticate, start_session, user_for_session
from learning.admin.csv_table import CsvFileError
from learning.models import LoginSession, User
from learning.admin.people import PeopleError, PeopleQuery, PersonDetails

from ..factories import PASSWORD, make_office, make_user

HEADER = "nip,full_name,username,email,office_code,role\n"
BAD_LINES = {8: "bad_nip", 20: "unknown_office", 41: "nip_repeated"}  # line numbers in the file


def nip(n: int) -> str:
    return f"19850101201001{n:04d}"


def fifty_rows() -> bytes:
    """50 officers (lines 2-51); lines 8, 20 and 41 are wrong."""
    lines = [HEADER.strip()]
    for n in range(1, 51):
        line = 1 + n
        number, office = nip(n), "KANIM-BTL"
        if line == 8:
            number = "12345"
        if line == 20:
            office = "KANIM-NOPE"
        if line == 41:
            number = nip(3)  # the NIP of line 4
        lines.append(f"{number},Petugas Nomor {n},petugas{n:02d},p{n}@example.go.id,{office},"
                     f"{'petugas' if n % 2 else ''}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def office(db):
    return make_office(code="KANIM-BTL")


def user_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_fifty_rows_with_three_bad_ones(db, office):
    data = fifty_rows()
    preview = people_import.preview_people_csv(data)
    assert {line.number: line.errors[0].code for line in preview.errors} == BAD_LINES
    assert preview.count("create") == 47 and len(preview.lines) == 50
    assert user_count(db) == 0  # the preview writes nothing
    db.session.rollback()
    assert user_count(db) == 0

    result = people_import.apply_people_csv(data)
    db.session.commit()
    assert len(result.created) == 47 and result.updated == 0
    assert user_count(db) == 47
    sari = db.session.scalar(sa.select(User).where(User.nip == nip(1)))
    assert sari.username == "petugas01" and sari.role == "officer" and sari.office.code == "KANIM-BTL"
    assert sari.must_change_password and sari.active
    password = next(a.password for a in result.created if a.nip == nip(1))
    assert authenticate(nip(1), password).id == sari.id  # the one-time password works
    hashes = dict(db.session.execute(sa.select(User.id, User.password_hash)).all())

    again = people_import.preview_people_csv(data)
    assert again.count("unchanged") == 47 and again.changes == 0 and len(again.errors) == 3
    second = people_import.apply_people_csv(data)
    db.session.commit()
    assert second.created == [] and second.updated == 0
    assert dict(db.session.execute(sa.select(User.id, User.password_hash)).all()) == hashes


def test_a_corrected_file_updates_the_people_it_names(db, office):
    make_office(code="KANIM-BDJ", name="Kantor Imigrasi Banjarmasin")
    people_import.apply_people_csv((HEADER + f"{nip(1)},Sari,sari,,KANIM-BTL,\n").encode())
    db.session.commit()
    data = (HEADER + f"{nip(1)},Sari Wulandari,,sari@example.go.id,KANIM-BDJ,\n").encode()
    line = people_import.preview_people_csv(data).lines[0]
    assert line.action == "update"
    assert {p.params["field"] for p in line.changes} == {"full_name", "email", "office_code"}
    result = people_import.apply_people_csv(data)
    db.session.commit()
    sari = db.session.scalar(sa.select(User).where(User.nip == nip(1)))
    assert result.updated == 1 and sari.full_name == "Sari Wulandari"
    assert sari.username == "sari"  # a blank cell keeps what the account has
    assert sari.office.code == "KANIM-BDJ" and sari.email == "sari@example.go.id"


@pytest.mark.parametrize("line, code", [
    (f"{nip(1)},,ani,,KANIM-BTL,", "name_required"),
    ("1.98501E+17,Ani,ani,,KANIM-BTL,", "bad_nip_scientific"),
    (f"{nip(1)},Ani,ani,,KANIM-BTL,admin", "admin_not_importable"),
    (f"{nip(1)},Ani,ani,,KANIM-BTL,boss", "bad_role"),
    (f"{nip(1)},Ani,ani,not-an-email,KANIM-BTL,", "bad_email"),
    (f"{nip(1)},Ani,A B,,KANIM-BTL,", "bad_username"),
    (f"{nip(1)},Ani,ani,,,officer", "office_required"),
    (",Ani,ani,,KANIM-BTL,", "nip_required"),
])
def test_each_kind_of_bad_line_is_reported(db, office, line, code):
    preview = people_import.preview_people_csv((HEADER + line + "\n").encode())
    assert preview.lines[0].action == "error" and preview.lines[0].errors[0].code == code


def test_a_trainer_may_come_without_an_office_and_nips_may_have_spaces(db, office):
    data = (HEADER + "19850101 201001 1 001,Pelatih Satu,pelatih1,,,pelatih\n").encode()
    result = people_import.apply_people_csv(data)
    db.session.commit()
    user = db.session.scalar(sa.select(User).where(User.username == "pelatih1"))
    assert user.role == "trainer" and user.nip == "198501012010011001" and user.office is None
    assert len(result.created) == 1


def test_clashes_with_existing_accounts_are_errors(db, office):
    make_user(username="budi", nip=nip(9), office=office)
    make_user(role="admin", username="root", nip=nip(8))
    data = (HEADER + f"{nip(1)},Ani,budi,,KANIM-BTL,\n{nip(8)},Root,root,,KANIM-BTL,officer\n"
            f"{nip(8)},Root,,,,\n").encode()
    codes = [line.errors[0].code for line in people_import.preview_people_csv(data).lines]
    assert codes == ["username_taken", "is_admin", "admin_not_importable"]


def test_semicolons_a_byte_order_mark_and_any_column_order_are_read(db, office):
    data = ("\ufeffFULL_NAME;NIP;office_code;extra\n"
            f"Ani Lestari;{nip(2)};KANIM-BTL;x\n").encode("utf-8")
    preview = people_import.preview_people_csv(data)
    assert preview.lines[0].action == "create" and preview.ignored_columns == ["extra"]
    people_import.apply_people_csv(data)
    assert db.session.scalar(sa.select(User.full_name).where(User.nip == nip(2))) == "Ani Lestari"


def test_a_file_without_the_required_columns_is_refused(db, office):
    with pytest.raises(CsvFileError) as caught:
        people_import.preview_people_csv(b"name,office\nAni,KANIM-BTL\n")
    assert caught.value.code == "missing_columns" and "nip" in caught.value.params["columns"]
    with pytest.raises(CsvFileError):
        people_import.preview_people_csv(b"")


# --------------------------------------------------------------------------- one person


def test_deactivation_ends_every_session_and_keeps_the_account(db, office):
    admin = make_user(role="admin", username="root")
    sari = make_user(username="sari", office=office)
    tokens = [start_session(sari, timedelta(hours=1)) for _ in range(2)]
    db.session.commit()
    assert people.deactivate(sari, admin) == 2
    db.session.commit()
    assert all(user_for_session(token) is None for token in tokens)
    assert db.session.scalar(sa.select(sa.func.count(LoginSession.id))) == 0
    assert authenticate("sari", PASSWORD) is None
    assert db.session.get(User, sari.id).active is False  # kept, with its history
    people.reactivate(sari)
    db.session.commit()
    assert authenticate("sari", PASSWORD).id == sari.id


def test_a_password_reset_gives_a_one_time_password(db, office):
    admin = make_user(role="admin", username="root")
    sari = make_user(username="sari", office=office)
    token = start_session(sari, timedelta(hours=1))
    password = people.reset_password(sari, admin)
    db.session.commit()
    assert user_for_session(token) is None
    assert authenticate("sari", PASSWORD) is None
    assert authenticate("sari", password).must_change_password is True


def test_an_administrator_cannot_lock_themself_or_the_site_out(db, office):
    admin = make_user(role="admin", username="root")
    with pytest.raises(PeopleError) as caught:
        people.deactivate(admin, admin)
    assert caught.value.code == "cannot_deactivate_self"
    with pytest.raises(PeopleError) as caught:
        people.update_person(admin, PersonDetails(full_name="Root", username="root",
                                                  role="officer", office_code="KANIM-BTL"), admin)
    assert caught.value.code == "cannot_demote_self"
    other = make_user(role="admin", username="second")
    people.deactivate(other, admin)
    with pytest.raises(PeopleError) as caught:
        people.update_person(admin, PersonDetails(full_name="Root", username="root",
                                                  role="trainer"), other)
    assert caught.value.code == "last_admin"
    with pytest.raises(PeopleError) as caught:
        people.reset_password(admin, admin)
    assert caught.value.code == "reset_own_password"


def test_creating_and_editing_a_person(db, office):
    created = people.create_person(PersonDetails(full_name=" Sari  Wulandari ", nip=nip(5),
                                                 office_code="kanim-btl"))
    db.session.commit()
    user = created.user
    assert user.username == nip(5) and user.full_name == "Sari Wulandari" and user.must_change_password
    assert authenticate(nip(5), created.password).id == user.id
    with pytest.raises(PeopleError) as caught:
        people.create_person(PersonDetails(full_name="Ani", username="ani",
                                           office_code="KANIM-BTL"))
    assert (caught.value.field, caught.value.code) == ("nip", "nip_required")
    with pytest.raises(PeopleError) as caught:
        people.create_person(PersonDetails(full_name="Ani", nip=nip(5), office_code="KANIM-BTL"))
    assert caught.value.code in ("username_taken", "nip_taken")
    admin = make_user(role="admin", username="root")
    changed = people.update_person(user, PersonDetails(full_name="Sari W.", username="sari",
                                                       nip=nip(5), office_code="KANIM-BTL",
                                                       role="trainer"), admin)
    assert set(changed) == {"full_name", "username", "role"}


def test_find_people_pages_and_filters(db, office):
    for n in range(7):
        make_user(username=f"petugas{n}", office=office, full_name=f"Petugas {n}", nip=nip(n))
    make_user(role="trainer", username="pelatih", full_name="Pelatih")
    page = people.find_people(PeopleQuery(role="officer"), page=2, per_page=3)
    assert page.total == 7 and page.pages == 3 and [r.full_name for r in page.rows] == [
        "Petugas 3", "Petugas 4", "Petugas 5"]
    assert people.find_people(PeopleQuery(text=nip(4))).rows[0].username == "petugas4"
    assert people.find_people(PeopleQuery(office_id=office.id)).total == 7
    assert people.find_people(PeopleQuery(status="inactive")).total == 0
