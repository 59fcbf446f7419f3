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
    assert short.exit_code != 0 and "too_short" in short.output
    office = runner.invoke(args=["users", "create", "--username", "budi", "--name", "B",
                                 "--office", "NOPE"], input=PASSWORD + "\n")
    assert office.exit_code != 0 and "unknown_office" in office.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("args, problem", [
    (["--username", "Bad Name!"], "bad_username"),
    (["--username", "dewi", "--nip", "1.98E+17"], "bad_nip_scientific"),
    (["--username", "dewi", "--nip", "12345"], "bad_nip"),
    (["--username", "dewi", "--email", "bukan-email"], "bad_email"),
    (["--username", "dewi", "--office", ""], "office_required"),
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
    assert authenticate("kepala", PASSWORD) is None
    user = authenticate("kepala", password)
    assert user is not None and user.must_change_password
    assert user_for_session(login_session) is None  # every session of the account ended
    unknown = runner.invoke(args=["users", "reset-password", "tidak-ada"])
    assert unknown.exit_code != 0 and "no user named tidak-ada" in unknown.output


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
