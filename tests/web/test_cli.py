"""Command-line operations: creating users and the first-start bootstrap."""
import sqlalchemy as sa

from learning import create_app
from learning.accounts import authenticate
from learning.cli import bootstrap
from learning.models import Course, User

from ..factories import PASSWORD, SAMPLE_CURRICULUM, make_office


def test_users_create_reads_the_password_from_stdin(runner, db):
    make_office(code="KANIM-BTL")
    result = runner.invoke(args=["users", "create", "--username", "sari", "--name", "Sari",
                                 "--role", "officer", "--office", "KANIM-BTL"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    user = authenticate("sari", PASSWORD)
    assert user is not None and user.office.code == "KANIM-BTL" and user.role == "officer"


def test_users_create_refuses_a_short_password_and_unknown_office(runner, db):
    short = runner.invoke(args=["users", "create", "--username", "a", "--name", "A"], input="pendek\n")
    assert short.exit_code != 0 and "too_short" in short.output
    office = runner.invoke(args=["users", "create", "--username", "b", "--name", "B",
                                 "--office", "NOPE"], input=PASSWORD + "\n")
    assert office.exit_code != 0 and "unknown_office" in office.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


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
