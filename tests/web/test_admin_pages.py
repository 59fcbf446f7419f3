"""The administration pages over HTTP, as an administrator uses them: CSV imports of people and of
the organisation (preview, confirm, the same file again), creating, editing, deactivating and
reactivating accounts and resetting passwords, and assigning courses with a due date."""
import base64
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from learning.clock import today
from learning.models import Assignment, Course, ModuleProgress, Office, Region, User

from ..domain.test_people import BAD_LINES, HEADER, fifty_rows, nip
from ..factories import PASSWORD, import_sample_curriculum, login, make_office, make_user
from .pages import page

NEW_PASSWORD = "kata-sandi-baru-yang-panjang-77"


@pytest.fixture
def admin(client, db):
    make_office("KANIM-BTL", "Kantor Imigrasi Batulicin", "KALSEL", "Kanwil Kalimantan Selatan")
    make_user(role="admin", username="admin", full_name="Admin Pusat")
    login(client, "admin")
    return client


def upload(client, url: str, data: bytes):
    return client.post(url, data={"file": (io.BytesIO(data), "berkas.csv")},
                       content_type="multipart/form-data")


def confirm(client, preview):
    """Press "Terapkan impor" on a preview page: post its form back as the browser would."""
    form = page(preview).form("/import/confirm")
    return client.post(form.action, data=form.fields)


def user_rows(db):
    return db.session.execute(sa.select(
        User.id, User.username, User.nip, User.full_name, User.email, User.role, User.office_id,
        User.active, User.password_hash, User.must_change_password).order_by(User.id)).all()


def org_rows(db):
    return (db.session.execute(sa.select(Region.id, Region.code, Region.name)
                               .order_by(Region.id)).all(),
            db.session.execute(sa.select(Office.id, Office.code, Office.name, Office.region_id)
                               .order_by(Office.id)).all())


def summary(preview_page) -> dict[str, str]:
    """The counts at the top of an import preview: Baris, Baru, Diubah, Tetap, Salah."""
    lines = preview_page.text.split("\n")
    labels = ("Baris", "Baru", "Diubah", "Tetap", "Salah")
    start = lines.index("Baris")
    pairs = dict(zip(lines[start:start + 10:2], lines[start + 1:start + 11:2]))
    assert set(pairs) == set(labels), pairs
    return pairs


def signed_in(client) -> bool:
    return client.get("/").status_code == 200


# --------------------------------------------------------------------------- people CSV


def test_people_import_previews_fifty_lines_with_three_errors_and_writes_nothing(admin, db):
    before = user_rows(db)
    response = upload(admin, "/admin/people/import", fifty_rows())
    assert response.status_code == 200
    shown = page(response)
    errors = shown.table("table-errors").texts()
    assert {int(row[0]): row[3] for row in errors} == {
        8: "NIP: NIP harus 18 angka.",
        20: "kode kantor: Kode kantor KANIM-NOPE tidak dikenal. Tambahkan kantornya dulu.",
        41: "NIP sudah ada di baris 4.",
    }
    assert set(BAD_LINES) == {8, 20, 41}
    assert summary(shown) == {"Baris": "50", "Baru": "47", "Diubah": "0", "Tetap": "0",
                              "Salah": "3"}
    assert len(shown.table("table-changes").rows) == 47
    assert "Terapkan 47 baris yang benar; 3 baris yang salah dilewati." in shown.text
    assert user_rows(db) == before  # nothing written, not even flushed


def test_confirming_applies_the_good_lines_and_the_same_file_again_changes_nothing(admin, db):
    data = fifty_rows()
    preview = upload(admin, "/admin/people/import", data)
    result = confirm(admin, preview)
    assert result.status_code == 200
    shown = page(result)
    assert "47 akun baru, 0 diubah, 0 tetap, 3 baris dilewati karena salah." in shown.flashes()
    passwords = {row[1]: row[4] for row in shown.table("table-passwords").texts()}
    imported = set(db.session.scalars(sa.select(User.nip).where(User.role == "officer")))
    assert imported == set(passwords)  # lines 8, 20 and 41 hold officers 7, 19 and 40
    assert imported == {nip(n) for n in range(1, 51)} - {nip(7), nip(19), nip(40)}
    assert result.headers["Cache-Control"] == "no-store, private"

    officer = admin.application.test_client()  # a one-time password works once handed over
    assert login(officer, nip(1), passwords[nip(1)]).status_code == 302
    forced = officer.get("/")
    assert forced.status_code == 302 and forced.headers["Location"] == "/account/password"

    after_first = user_rows(db)
    again = upload(admin, "/admin/people/import", data)
    shown = page(again)
    assert again.status_code == 200
    assert summary(shown) == {"Baris": "50", "Baru": "0", "Diubah": "0", "Tetap": "47",
                              "Salah": "3"}
    assert "Tidak ada yang perlu diubah" in shown.text
    assert not [f for f in shown.forms if f.action.endswith("/import/confirm")]
    replay = confirm(admin, preview)  # the first confirmation sent again (back button)
    assert "0 akun baru, 0 diubah, 47 tetap, 3 baris dilewati karena salah." in \
        page(replay).flashes()
    assert user_rows(db) == after_first


def test_a_confirmation_checks_the_file_again_against_the_database(admin, db):
    """Another administrator took a username between the preview and the confirmation: that line
    becomes an error, the others are applied, nothing answers 500."""
    preview = upload(admin, "/admin/people/import", fifty_rows())
    make_user(username="petugas10", nip="199901012020011999", role="trainer")
    result = confirm(admin, preview)
    assert result.status_code == 200
    assert "46 akun baru, 0 diubah, 0 tetap, 4 baris dilewati karena salah." in \
        page(result).flashes()
    assert db.session.scalar(sa.select(User.nip).where(User.username == "petugas10")) == \
        "199901012020011999"


def test_a_tampered_confirmation_is_refused_and_writes_nothing(admin, db):
    preview = upload(admin, "/admin/people/import", fifty_rows())
    form = page(preview).form("/import/confirm")
    other = HEADER + f"{nip(99)},Penyusup,penyusup,,KANIM-BTL,\n"
    form.fields["data"] = base64.b64encode(other.encode()).decode()
    before = user_rows(db)
    assert admin.post(form.action, data=form.fields).status_code == 400
    assert user_rows(db) == before


@pytest.mark.parametrize("url,data,message", [
    ("/admin/people/import", b"", "Berkas kosong atau tidak punya baris judul."),
    ("/admin/people/import", b"nama,kantor\nSari,KANIM-BTL\n",
     "Baris judul tidak punya kolom: nip, full_name."),
    ("/admin/organisation/import", b"region_code,office_code\nKALSEL,KANIM-BTL\n",
     "Baris judul tidak punya kolom: region_name."),
])
def test_an_unreadable_file_is_refused_with_the_reason(admin, db, url, data, message):
    before = user_rows(db), org_rows(db)
    response = upload(admin, url, data)
    assert response.status_code == 400
    assert message in page(response).errors()
    assert (user_rows(db), org_rows(db)) == before


def test_an_upload_without_a_file_asks_for_one(admin):
    response = admin.post("/admin/people/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Pilih berkas CSV." in page(response).errors()


# --------------------------------------------------------------------------- organisation CSV

ORG_FILE = """region_code,region_name,office_code,office_name
KALSEL,Kanwil Kalimantan Selatan,KANIM-BTL,Kantor Imigrasi Kelas II TPI Batulicin
KALSEL,Kanwil Kalimantan Selatan,KANIM-BDJ,Kantor Imigrasi Banjarmasin
NTB,Kanwil Nusa Tenggara Barat,KANIM-MTR,Kantor Imigrasi Mataram
NTB,Kanwil NTB,KANIM-SBW,Kantor Imigrasi Sumbawa Besar
JATIM,Kanwil Jawa Timur,kanim sby!,Kantor Imigrasi Surabaya
""".encode()


def test_organisation_import_previews_confirms_and_is_idempotent(admin, db):
    before = org_rows(db)
    preview = upload(admin, "/admin/organisation/import", ORG_FILE)
    assert preview.status_code == 200
    shown = page(preview)
    assert {row[0]: row[3] for row in shown.table("table-errors").texts()} == {
        "5": "Nama Kanwil berbeda dengan baris 4 untuk kode yang sama.",
        "6": "Kode kantor tidak sah."}
    changes = {row[0]: row[3] for row in shown.table("table-changes").texts()}
    assert changes == {
        "2": "Kantor KANIM-BTL berganti nama (sebelumnya: Kantor Imigrasi Batulicin).",
        "3": "Kantor baru KANIM-BDJ.",
        "4": "Kanwil baru NTB. Kantor baru KANIM-MTR."}
    assert summary(shown) == {"Baris": "5", "Baru": "2", "Diubah": "1", "Tetap": "0",
                              "Salah": "2"}
    assert org_rows(db) == before

    applied = confirm(admin, preview)
    assert applied.status_code == 302 and applied.headers["Location"] == "/admin/offices"
    listing = page(admin.get("/admin/offices"))
    assert "Impor selesai: 2 baris baru, 1 diubah, 0 tetap, 2 dilewati karena salah." in \
        listing.flashes()
    offices = {code: (name, region) for code, name, region in db.session.execute(
        sa.select(Office.code, Office.name, Region.code).join(Region))}
    assert offices == {
        "KANIM-BTL": ("Kantor Imigrasi Kelas II TPI Batulicin", "KALSEL"),
        "KANIM-BDJ": ("Kantor Imigrasi Banjarmasin", "KALSEL"),
        "KANIM-MTR": ("Kantor Imigrasi Mataram", "NTB")}
    assert set(db.session.scalars(sa.select(Region.code))) == {"KALSEL", "NTB"}  # no JATIM
    after = org_rows(db)

    again = page(upload(admin, "/admin/organisation/import", ORG_FILE))
    assert summary(again)["Tetap"] == "3" and summary(again)["Baru"] == "0"
    assert "Tidak ada yang perlu diubah" in again.text
    assert confirm(admin, preview).status_code == 302  # the old confirmation, sent again
    assert org_rows(db) == after


# --------------------------------------------------------------------------- people pages

SARI = {"full_name": "Sari Wulandari", "nip": "198501012010012001", "username": "",
        "email": "sari@example.go.id", "role": "officer", "office_code": "KANIM-BTL"}


def create(client, **changes):
    return client.post("/admin/people/new", data={**SARI, **changes})


def change_password(client, current: str):
    return client.post("/account/password", data={"current": current, "new": NEW_PASSWORD,
                                                 "confirm": NEW_PASSWORD})


def test_a_new_account_gets_a_one_time_password_that_must_be_changed(admin, db, app):
    response = create(admin)
    assert response.status_code == 200
    shown = page(response)
    password = shown.by_id["one-time-password"]
    assert "Akun dibuat" in shown.text and len(password) >= 12
    sari = db.session.scalar(sa.select(User).where(User.nip == SARI["nip"]))
    assert sari.username == SARI["nip"] and sari.office.code == "KANIM-BTL"
    assert sari.must_change_password and sari.role == "officer"
    assert password not in admin.get(f"/admin/people/{sari.id}").text  # shown once only

    officer = app.test_client()
    assert login(officer, SARI["nip"], password).status_code == 302
    assert officer.get("/").headers["Location"] == "/account/password"
    assert change_password(officer, password).status_code == 302
    assert officer.get("/").status_code == 200


def test_editing_a_person_saves_the_changes(admin, db):
    make_office("KANIM-BDJ", "Kantor Imigrasi Banjarmasin", "KALSEL")
    sari = make_user(username="sari", nip=SARI["nip"], office=db.session.scalar(
        sa.select(Office).where(Office.code == "KANIM-BTL")))
    form = page(admin.get(f"/admin/people/{sari.id}")).form(f"/admin/people/{sari.id}")
    assert form.fields["office_code"] == "KANIM-BTL" and form.fields["username"] == "sari"
    response = admin.post(form.action, data={**form.fields, "full_name": "Sari W. Putri",
                                             "office_code": "KANIM-BDJ"})
    assert response.status_code == 302
    assert "Data Sari W. Putri disimpan." in page(admin.get(response.headers["Location"])).flashes()
    db.session.refresh(sari)
    assert (sari.full_name, sari.office.code, sari.username) == ("Sari W. Putri", "KANIM-BDJ",
                                                                 "sari")
    unchanged = admin.post(form.action, data={**form.fields, "full_name": "Sari W. Putri",
                                              "office_code": "KANIM-BDJ"})
    assert "Tidak ada yang berubah." in page(admin.get(unchanged.headers["Location"])).flashes()


BAD_INPUT = [
    ({"nip": "12345"}, "NIP harus 18 angka."),
    ({"nip": "1,98501E+17"}, "NIP rusak oleh format angka spreadsheet (mis. 1,98E+17). Simpan "
                             "kolom NIP sebagai teks lalu ekspor lagi."),
    ({"full_name": ""}, "Isi nama lengkap."),
    ({"full_name": "x" * 161}, "Isian ini terlalu panjang."),
    ({"office_code": ""}, "Petugas harus punya kantor: isi kode kantor."),
    ({"office_code": "KANIM-NOPE"}, "Kode kantor KANIM-NOPE tidak dikenal. Tambahkan kantornya "
                                    "dulu."),
    ({"email": "bukan-email"}, "Alamat e-mail tidak sah."),
    ({"username": "A B"}, "Nama pengguna 3–64 karakter: huruf kecil, angka, titik, garis bawah "
                          "atau tanda minus."),
    ({"username": "admin"}, "Nama pengguna ini sudah dipakai orang lain."),
    ({"nip": "199001012015011001"}, "NIP ini sudah dipakai orang lain."),
    ({"role": "root"}, "Peran harus officer (petugas) atau trainer (pelatih)."),
]


@pytest.mark.parametrize("changes,message", BAD_INPUT + [({"nip": ""}, "Isi NIP.")])
def test_bad_input_on_the_new_person_form_shows_the_message_and_writes_nothing(admin, db,
                                                                             changes, message):
    make_user(username="budi", nip="199001012015011001")
    before = user_rows(db)
    response = create(admin, **changes)
    assert response.status_code == 400  # the form again, with the message beside the field
    assert message in page(response).errors()
    assert user_rows(db) == before


@pytest.mark.parametrize("changes,message", BAD_INPUT)
def test_bad_input_on_the_edit_form_shows_the_message_and_changes_nothing(admin, db, changes,
                                                                         message):
    make_user(username="budi", nip="199001012015011001")
    sari = make_user(username="sari", nip=SARI["nip"], full_name="Sari", office=db.session.scalar(
        sa.select(Office).where(Office.code == "KANIM-BTL")))
    before = user_rows(db)
    response = admin.post(f"/admin/people/{sari.id}", data={**SARI, "username": "sari",
                                                            **changes})
    assert response.status_code == 400
    assert message in page(response).errors()
    assert user_rows(db) == before


def test_deactivating_stops_sign_in_keeps_history_and_reactivating_restores_it(admin, db, app):
    import_sample_curriculum()
    office = db.session.scalar(sa.select(Office))
    ani = make_user(username="ani", nip="199201012018012001", office=office)
    officer = app.test_client()
    login(officer, "ani")
    assert officer.post("/courses/contoh/pengantar/done").status_code == 302
    progress = db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))
                                 .where(ModuleProgress.user_id == ani.id))
    assert progress == 1

    person = page(admin.get(f"/admin/people/{ani.id}"))
    response = admin.post(person.form("/deactivate").action)
    assert response.status_code == 302
    shown = page(admin.get(response.headers["Location"]))
    assert (f"{ani.full_name} dinonaktifkan; 1 sesi masuknya diakhiri. Riwayat belajarnya tetap "
            "tersimpan.") in shown.flashes()
    assert "Akun nonaktif: tidak dapat masuk. Riwayatnya tetap tersimpan." in shown.text
    assert not signed_in(officer)  # the open session ended at once
    refused = login(officer, "ani")
    assert refused.status_code != 302 and "Nama pengguna/NIP atau kata sandi salah." in \
        page(refused).errors()
    assert db.session.scalar(sa.select(sa.func.count(ModuleProgress.id))
                             .where(ModuleProgress.user_id == ani.id)) == 1
    listed = page(admin.get("/admin/people?status=inactive")).text
    assert ani.full_name in listed and "Admin Pusat" not in listed
    detail = page(admin.get(f"/admin/reports/officer/{ani.id}"))
    assert detail.table("table-modul").texts()[0][4] != ""  # completed module still shown

    response = admin.post(shown.form("/reactivate").action)
    assert f"{ani.full_name} aktif kembali." in page(admin.get(response.headers["Location"])).flashes()
    assert login(officer, "ani").status_code == 302
    assert "1 dari 3 modul" in officer.get("/").text


def test_resetting_a_password_shows_it_once_and_forces_a_change(admin, db, app):
    ani = make_user(username="ani", nip="199201012018012001", office=db.session.scalar(
        sa.select(Office)))
    officer = app.test_client()
    login(officer, "ani")
    response = admin.post(page(admin.get(f"/admin/people/{ani.id}")).form("/reset-password").action)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store, private"
    shown = page(response)
    password = shown.by_id["one-time-password"]
    assert "Kata sandi diatur ulang" in shown.text
    assert "Semua sesi masuk akun ini sudah diakhiri." in shown.text
    assert password not in admin.get(f"/admin/people/{ani.id}").text
    assert not signed_in(officer)
    assert login(officer, "ani", PASSWORD).status_code != 302  # the old password is gone
    assert login(officer, "ani", password).status_code == 302
    assert officer.get("/").headers["Location"] == "/account/password"
    assert change_password(officer, password).status_code == 302
    assert signed_in(officer)


@pytest.mark.parametrize("action,message", [
    ("deactivate", "Anda tidak dapat menonaktifkan akun Anda sendiri."),
    ("reset-password", "Ganti kata sandi Anda sendiri lewat halaman Akun."),
])
def test_an_administrator_cannot_lock_themself_out(admin, db, action, message):
    me = db.session.scalar(sa.select(User).where(User.username == "admin"))
    before = user_rows(db)
    response = admin.post(f"/admin/people/{me.id}/{action}")
    assert response.status_code == 302
    assert message in page(admin.get(response.headers["Location"])).errors()
    assert user_rows(db) == before
    demote = admin.post(f"/admin/people/{me.id}", data={
        "full_name": me.full_name, "username": "admin", "role": "trainer", "office_code": ""})
    assert demote.status_code == 400
    assert "Anda tidak dapat melepas peran admin Anda sendiri." in page(demote).errors()
    assert user_rows(db) == before


def test_unknown_people_are_404(admin):
    assert admin.get("/admin/people/999999").status_code == 404
    assert admin.post("/admin/people/999999/deactivate").status_code == 404


# --------------------------------------------------------------------------- assignments


@pytest.fixture
def site(admin, db):
    import_sample_curriculum()
    db.session.add(Course(slug="lain", title="Kursus Lain", position=-1, published=True))
    btl = db.session.scalar(sa.select(Office).where(Office.code == "KANIM-BTL"))
    bdj = make_office("KANIM-BDJ", "Kantor Imigrasi Banjarmasin", "KALSEL")
    mtr = make_office("KANIM-MTR", "Kantor Imigrasi Mataram", "NTB", "Kanwil NTB")
    people = {"ani": make_user(username="ani", nip="199201012018012001", office=btl),
              "budi": make_user(username="budi", nip="199201012018012002", office=bdj),
              "citra": make_user(username="citra", nip="199201012018012003", office=mtr)}
    db.session.commit()
    return {"course": db.session.scalar(sa.select(Course).where(Course.slug == "contoh")),
            "btl": btl, "mtr": mtr, "kalsel": btl.region, "people": people}


def assign(client, site, **fields):
    data = {"course_id": site["course"].id, "scope": "all", "region_id": 0, "office_id": 0,
            "officers": "", "due_date": ""}
    return client.post("/admin/assignments", data={**data, **fields})


def dashboard(app, username: str) -> str:
    officer = app.test_client()
    login(officer, username)
    return page(officer.get("/")).text


def shown_due(day) -> str:
    return format_date(day, "medium", locale="id")


@pytest.mark.parametrize("scope,target,covered", [
    ("all", {}, {"ani", "budi", "citra"}),
    ("region", {"region_id": "kalsel"}, {"ani", "budi"}),
    ("office", {"office_id": "btl"}, {"ani"}),
    ("user", {"officers": "citra\n199201012018012001"}, {"ani", "citra"}),
])
def test_assigning_a_course_puts_it_first_on_the_covered_officers_dashboards(
        admin, db, app, site, scope, target, covered):
    due = today() + timedelta(days=14)
    fields = {k: (site[v].id if v in site else v) for k, v in target.items()}
    response = assign(admin, site, scope=scope, due_date=due.isoformat(), **fields)
    assert response.status_code == 302
    assert "penugasan disimpan." in " ".join(page(admin.get("/admin/assignments")).flashes())
    listed = page(admin.get("/admin/assignments")).table("table-assignments").texts()
    made = 2 if scope == "user" else 1  # one assignment per chosen officer
    assert [row[0] for row in listed] == ["Kursus Contoh"] * made
    assert sum(int(row[2]) for row in listed) == len(covered)
    shown = format_date(due, "medium", locale="id")  # the reader's locale, not ISO
    assert all(shown in row[3] for row in listed)
    for name in site["people"]:
        text = dashboard(app, name)
        if name in covered:
            assert text.index("Kursus Contoh") < text.index("Kursus Lain")
            assert f"Tenggat {shown_due(due)}" in text and "Terlambat" not in text
        else:
            assert text.index("Kursus Lain") < text.index("Kursus Contoh")
            assert "Tenggat" not in text


def test_a_course_past_its_due_date_is_marked_overdue(admin, db, app, site):
    assert assign(admin, site, due_date=today().isoformat()).status_code == 302
    assert "Terlambat" not in dashboard(app, "ani")  # due today is not late yet
    assignment = db.session.scalar(sa.select(Assignment))
    assignment.due_date = today() - timedelta(days=3)  # three days pass
    db.session.commit()
    text = dashboard(app, "ani")
    assert f"Terlambat · Tenggat {shown_due(today() - timedelta(days=3))}" in text
    assert text.index("Kursus Contoh") < text.index("Kursus Lain")


@pytest.mark.parametrize("fields,message", [
    ({"due_date": "2026-13-45"}, "Tanggal harus berformat TTTT-BB-HH."),
    ({"due_date": "besok"}, "Tanggal harus berformat TTTT-BB-HH."),
    ({"due_date": "yesterday"}, "Tenggat tidak boleh sebelum hari ini."),
    ({"course_id": 0}, "Pilih kursus."),
    ({"scope": "region"}, "Pilih Kanwil."),
    ({"scope": "office"}, "Pilih Kantor Imigrasi."),
    ({"scope": "user"}, "Tulis NIP atau nama pengguna petugas yang ditugaskan."),
    ({"scope": "user", "officers": "ani, tidak-ada"},
     "Tidak ada petugas aktif dengan NIP atau nama pengguna: tidak-ada"),
])
def test_bad_assignment_input_shows_a_clear_message_and_writes_nothing(admin, db, site, fields,
                                                                       message):
    if fields.get("due_date") == "yesterday":
        fields = {"due_date": (today() - timedelta(days=1)).isoformat()}
    response = assign(admin, site, **fields)
    assert response.status_code == 400
    assert message in page(response).errors()
    assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 0


@pytest.mark.parametrize("due,message", [
    ("2026-02-30", "Tanggal harus berformat TTTT-BB-HH."),
    ("yesterday", "Tenggat tidak boleh sebelum hari ini."),
])
def test_changing_a_due_date_to_a_bad_one_is_refused(admin, db, site, due, message):
    first = today() + timedelta(days=7)
    assign(admin, site, due_date=first.isoformat())
    assignment = db.session.scalar(sa.select(Assignment))
    if due == "yesterday":
        due = (today() - timedelta(days=1)).isoformat()
    response = admin.post(f"/admin/assignments/{assignment.id}/due", data={"due_date": due})
    assert response.status_code == 400 and message in page(response).errors()
    db.session.refresh(assignment)
    assert assignment.due_date == first
    later = first + timedelta(days=7)
    assert admin.post(f"/admin/assignments/{assignment.id}/due",
                      data={"due_date": later.isoformat()}).status_code == 302
    db.session.refresh(assignment)
    assert assignment.due_date == later


def test_an_assignment_keeps_the_days_newcomers_get(admin, db, site):
    due = today() + timedelta(days=21)
    response = assign(admin, site, due_date=due.isoformat(), newcomer_days="10")
    assert response.status_code == 302
    assignment = db.session.scalar(sa.select(Assignment))
    assert (assignment.period_days, assignment.newcomer_days) == (21, 10)
    refused = assign(admin, site, due_date=due.isoformat(), newcomer_days="0")
    assert refused.status_code == 400 and "Isi 1 sampai 3650 hari." in page(refused).errors()
