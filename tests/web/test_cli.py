"""Command-line operations: creating users, the first-start bootstrap, rebuilding report data."""
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from learning import create_app
from learning.learner import progress
from learning.reports import standing
from learning.accounts import authenticate, start_session, user_for_session
from learning.cli import bootstrap
from learning.models import Course, User
from learning.models.reporting import CourseStanding

from ..factories import (PASSWORD, SAMPLE_CURRICULUM, import_sample_curriculum, make_office,
                         make_user)


def test_users_create_reads_the_password_from_stdin(runner, db):
    make_office(code="KANIM-BTL")
    result = runner.invoke(args=["users", "create", "--username", "sari", "--name", "Sari",
                                 "--role", "officer", "--office", "KANIM-BTL"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    user = authenticate("sari", PASSWORD)
    assert user is not None and user.office.code == "KANIM-BTL" and user.role == "officer"


def test_users_create_refuses_a_short_password_and_unknown_office(runner, db):
    short = runner.invoke(args=["users", "create", "--username", "ani", "--name", "A"], input="pendek\n")
    assert short.exit_code != 0 and "Kata sandi terlalu pendek: minimal 10 karakter." in short.output
    office = runner.invoke(args=["users", "create", "--username", "budi", "--name", "B",
                                 "--office", "NOPE"], input=PASSWORD + "\n")
    assert office.exit_code != 0 and "Kode kantor NOPE tidak dikenal." in office.output
    assert "flask --app app offices create" in office.output and "Traceback" not in office.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("args, problem", [
    (["--username", "Bad Name!"], "Nama pengguna 3–64 karakter"),
    (["--username", "dewi", "--nip", "1.98E+17"], "Simpan kolom NIP sebagai teks"),
    (["--username", "dewi", "--nip", "12345"], "NIP harus 18 angka."),
    (["--username", "dewi", "--email", "bukan-email"], "Alamat e-mail tidak sah."),
    (["--username", "dewi", "--office", ""], "isi kode kantor"),
])
def test_users_create_checks_what_the_administrators_form_checks(runner, db, args, problem):
    make_office(code="KANIM-BTL")
    base = ["users", "create", "--name", "Dewi", "--role", "officer", "--office", "KANIM-BTL"]
    result = runner.invoke(args=base + args, input=PASSWORD + "\n")
    assert result.exit_code != 0 and problem in result.output, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_reset_password_prints_a_one_time_password_once(runner, db):
    admin = make_user(username="kepala", role="admin")
    login_session = start_session(admin, timedelta(hours=1))
    db.session.commit()
    result = runner.invoke(args=["users", "reset-password", "KEPALA"])
    assert result.exit_code == 0, result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    assert "sekali" in result.output
    assert authenticate("kepala", PASSWORD) is None
    user = authenticate("kepala", password)
    assert user is not None and user.must_change_password
    assert user_for_session(login_session) is None  # every session of the account ended
    unknown = runner.invoke(args=["users", "reset-password", "tidak-ada"])
    assert unknown.exit_code != 0 and "Tidak ada pengguna bernama tidak-ada." in unknown.output


def test_bootstrap_migrates_imports_and_prints_the_admin_password_once(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "IMPORT_CURRICULUM_ON_START": True, "CONTENT_ROOT": SAMPLE_CURRICULUM})
    bootstrap(app)
    first = capsys.readouterr().out
    password = first.split("password: ")[1].split()[0]
    bootstrap(app)
    second = capsys.readouterr().out
    assert "password:" not in second
    with app.app_context():
        admin = authenticate("admin", password)
        assert admin is not None and admin.is_admin and admin.must_change_password
        from learning.extensions import db
        assert db.session.scalar(sa.select(Course.slug)) == "contoh"
    response = app.test_client().post("/login", data={"identifier": "admin", "password": password})
    assert response.status_code == 302


def test_reports_rebuild_recomputes_the_course_standings(runner, db):
    import_sample_curriculum()
    course = db.session.scalar(sa.select(Course).where(Course.slug == "contoh"))
    sari = make_user(username="sari")
    progress.complete_module(sari, course.live_modules[0],
                             datetime(2026, 11, 1, 3, tzinfo=timezone.utc))
    db.session.execute(sa.delete(CourseStanding))  # as after a hand edit
    db.session.commit()
    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0 and "1 course standing row(s) rebuilt." in result.output
    db.session.expire_all()
    row = db.session.get(CourseStanding, (sari.id, course.id))
    assert row is not None and row.done == 1
    assert len(db.session.execute(standing.live_standing()).all()) == 1


def test_regions_and_offices_from_the_console_then_the_readme_user(runner, db):
    """A fresh install has no office: create the Kanwil and the office, then the README's example."""
    region = runner.invoke(args=["regions", "create", "--code", "kanwil-kalsel",
                                 "--name", "Kanwil Kalimantan Selatan"])
    assert region.exit_code == 0 and "Kanwil KANWIL-KALSEL (Kanwil Kalimantan Selatan) dibuat." \
        in region.output
    office = runner.invoke(args=["offices", "create", "--code", "KANIM-BTL", "--name",
                                 "Kantor Imigrasi Batulicin", "--region", "KANWIL-KALSEL"])
    assert office.exit_code == 0, office.output
    listed = runner.invoke(args=["offices", "list"])
    assert "KANIM-BTL\tKantor Imigrasi Batulicin\tKANWIL-KALSEL" in listed.output
    assert "KANWIL-KALSEL\tKanwil Kalimantan Selatan\t1" in runner.invoke(args=["regions", "list"]).output
    user = runner.invoke(args=["users", "create", "--username", "sari", "--name", "Sari", "--role",
                               "officer", "--office", "KANIM-BTL"], input=PASSWORD + "\n")
    assert user.exit_code == 0 and "Akun sari (officer) dibuat." in user.output
    assert "GetPassWarning" not in user.output and "Kata sandi" not in user.output  # no prompt from a pipe


@pytest.mark.parametrize("args, sentence", [
    (["regions", "create", "--code", "bad code!", "--name", "X"], "Kode hanya boleh huruf besar"),
    (["regions", "create", "--code", "KANWIL-A", "--name", ""], "Isi nama."),
    (["offices", "create", "--code", "KANIM-X", "--name", "X", "--region", "TIDAK-ADA"],
     "Kanwil TIDAK-ADA tidak dikenal. Buat dulu: flask --app app regions create"),
    (["regions", "create", "--code", "KANWIL-A", "--name", "Lagi"], "Kode Kanwil KANWIL-A sudah dipakai."),
])
def test_organisation_refusals_are_sentences(runner, db, args, sentence):
    runner.invoke(args=["regions", "create", "--code", "KANWIL-A", "--name", "Kanwil A"])
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and sentence in result.output, result.output
    assert "Traceback" not in result.output


def test_the_console_speaks_the_operators_language(runner, db, monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result = runner.invoke(args=["offices", "create", "--code", "KANIM-X", "--name", "X",
                                 "--region", "NONE"])
    assert result.exit_code == 1 and "NONE" in result.output and "unknown" in result.output.lower()


def test_content_export_writes_the_course_zip_that_reads_back(runner, db, tmp_path):
    import zipfile

    from learning.content.curriculum import read_curriculum

    import_sample_curriculum()
    target = tmp_path / "out" / "contoh.zip"
    result = runner.invoke(args=["content", "export", "contoh", str(target)])
    assert result.exit_code == 0 and f"wrote {target}" in result.output, result.output
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "unpacked")
    assert "courses/contoh/course.md" in names and any(n.startswith("quizzes/contoh/") for n in names)
    root = next(p.parent.parent.parent for p in (tmp_path / "unpacked").rglob("course.md"))
    course = read_curriculum(root).courses[0]
    assert course.slug == "contoh" and len(course.modules) == 3
    again = runner.invoke(args=["content", "export", "contoh", str(target)])
    assert again.exit_code == 1 and "--force" in again.output
    missing = runner.invoke(args=["content", "export", "tidak-ada", str(tmp_path / "x.zip")])
    assert missing.exit_code == 1 and "no course 'tidak-ada'. Courses: contoh." in missing.output
