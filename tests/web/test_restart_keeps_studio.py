"""A restart never publishes the shipped files over what trainers published in the studio.

A trainer publishes a module and a quiz in the studio; the app is started again (a new app and a
new bootstrap on the same database, then gunicorn's master in the benchmark server): the studio
revisions stay live, the start lists them as conflicts, and `content import
--replace-studio-edits` applies a file on purpose, as a new revision.
"""
from __future__ import annotations

import os
import shutil
import urllib.request

import pytest
import sqlalchemy as sa

from learning import create_app
from learning.cli import bootstrap
from learning.extensions import db
from learning.models import AuditEvent, Module, ModuleRevision, Quiz, User
from learning.studio import authoring, quizzes

from ..factories import PASSWORD, SAMPLE_CURRICULUM, login


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database nobody else uses: PostgreSQL when the suite runs on it, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'restart.db'}"
        return
    base = sa.engine.make_url(url)
    name = f"{base.database}_restart"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _start(url, content_root, capsys):
    """A new application on `url` and its bootstrap, as `python app.py` does; its output."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "IMPORT_CURRICULUM_ON_START": True, "CONTENT_ROOT": content_root})
    bootstrap(app)
    return app, capsys.readouterr().out


STUDIO_TEXT = "Teks yang ditulis pelatih di studio: unsur proses, cara dan tujuan.\n"


def _publish_in_studio(app):
    """A trainer publishes a new module text (marked substantive) and a new quiz revision."""
    with app.app_context():
        trainer = User(username="pelatih", full_name="Pelatih Studio", role="trainer")
        trainer.set_password(PASSWORD)
        db.session.add(trainer)
        module = db.session.scalar(sa.select(Module).where(Module.slug == "unsur"))
        saved = authoring.save_module_draft(module, authoring.ModuleDraft(
            title="Unsur TPPO (studio)", minutes=7, laws=["UU 21/2007 Pasal 1 angka 1"],
            reviewed=None, source=STUDIO_TEXT), trainer)
        authoring.publish_module(module, saved.revision, trainer, substantive=True)
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
        source = quiz.published_revision.source.replace("title: Kuis Unsur TPPO",
                                                        "title: Kuis Unsur TPPO (studio)")
        quiz_saved = quizzes.save_quiz_draft(quiz, source, trainer)
        quizzes.publish_quiz(quiz, quiz_saved.revision, trainer)
        db.session.commit()
        numbers = (saved.revision.number, quiz_saved.revision.number)
        db.session.remove()
        return numbers


def _live(app):
    with app.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.slug == "unsur"))
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "unsur-kuis"))
        result = (module.published_revision.number, module.published_revision.origin,
                  module.published_revision.source, quiz.published_revision.number,
                  quiz.title)
        conflicts = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                      .where(AuditEvent.action == "conflict"))
        db.session.remove()
        return result, conflicts


def test_restart_keeps_studio_revisions_and_lists_the_conflicts(fresh_url, tmp_path, capsys):
    content = tmp_path / "curriculum"
    shutil.copytree(SAMPLE_CURRICULUM, content)
    app, first = _start(fresh_url, content, capsys)
    assert "Curriculum import: 5 created, 0 updated" in first  # course, 3 modules, quiz
    module_number, quiz_number = _publish_in_studio(app)
    with app.app_context():
        db.engine.dispose()

    # The files change too (a new release ships an edited module and quiz): still not applied.
    unsur = content / "courses/contoh/02-unsur.md"
    unsur.write_text(unsur.read_text().replace("Proses, cara", "Proses (rilis baru), cara"))
    again, output = _start(fresh_url, content, capsys)
    assert "0 created, 0 updated" in output and "2 kept because edited in the studio" in output
    assert (f"module contoh/unsur: kept the studio's revision {module_number}; the file differs"
            in output)
    assert f"quiz unsur-kuis: kept the studio's revision {quiz_number}" in output
    (number, origin, source, live_quiz, quiz_title), conflicts = _live(again)
    assert (number, origin, source) == (module_number, "studio", STUDIO_TEXT)
    assert (live_quiz, quiz_title) == (quiz_number, "Kuis Unsur TPPO (studio)")
    assert conflicts == 2
    client = again.test_client()
    login(client, "pelatih")
    page = client.get("/studio/").get_data(as_text=True)
    assert "Berkas kurikulum berbeda dari revisi studio" in page
    assert f"revisi studio {module_number} dipertahankan" in page and "unsur-kuis" in page

    # A third start: the same conflicts, not logged twice.
    third, output = _start(fresh_url, content, capsys)
    assert "2 kept because edited in the studio" in output
    assert _live(third)[1] == 2

    # On purpose: the file replaces the studio's module as a new revision; history kept.
    result = third.test_cli_runner().invoke(args=["content", "import", str(content),
                                                  "--replace-studio-edits", "contoh/unsur"])
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "1 kept because edited in the studio" in result.output
    (number, origin, source, live_quiz, _), _ = _live(third)
    assert number == module_number + 1 and origin == "file" and "rilis baru" in source
    assert live_quiz == quiz_number  # the quiz was not named: still the studio's
    with third.app_context():
        kept = db.session.scalar(sa.select(ModuleRevision.source).where(
            ModuleRevision.number == module_number,
            ModuleRevision.module_id == sa.select(Module.id).where(Module.slug == "unsur")
            .scalar_subquery()))
        assert kept == STUDIO_TEXT
        db.session.remove()
        db.engine.dispose()


def test_unedited_items_follow_the_files(fresh_url, tmp_path, capsys):
    content = tmp_path / "curriculum"
    shutil.copytree(SAMPLE_CURRICULUM, content)
    app, _ = _start(fresh_url, content, capsys)
    with app.app_context():
        db.engine.dispose()
    path = content / "courses/contoh/03-penutup.md"
    path.write_text(path.read_text() + "\nParagraf tambahan dari rilis baru.\n")
    again, output = _start(fresh_url, content, capsys)
    assert "0 created, 1 updated" in output and "0 kept because edited" in output
    with again.app_context():
        module = db.session.scalar(sa.select(Module).where(Module.slug == "penutup"))
        assert "rilis baru" in module.published_revision.source
        assert module.published_revision.origin == "file"
        assert len(module.published_revision.file_sha256) == 64
        db.session.remove()
        db.engine.dispose()


def test_gunicorn_master_restart_keeps_studio_revisions(tmp_path):
    """The production server: gunicorn's master bootstraps on start (gunicorn.conf.py)."""
    from bench.server import ProductionServer, bench_database

    kind = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgresql") else "sqlite"
    env = {"WEB_CONCURRENCY": "1", "THREADS": "2", "CONTENT_ROOT": str(SAMPLE_CURRICULUM),
           "IMPORT_CURRICULUM_ON_START": "1"}
    with bench_database(kind, tmp_path) as database:
        with ProductionServer(database, tmp_path, env=env) as server:
            assert urllib.request.urlopen(server.url + "/healthz", timeout=10).status == 200
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.url,
                          "IMPORT_CURRICULUM_ON_START": False})
        module_number, quiz_number = _publish_in_studio(app)
        with ProductionServer(database, tmp_path, env=env) as server:
            assert urllib.request.urlopen(server.url + "/healthz", timeout=10).status == 200
            log = server.log_text()
        assert "0 created, 0 updated" in log and "2 kept because edited in the studio" in log
        (number, origin, source, live_quiz, _), _ = _live(app)
        assert (number, origin, source, live_quiz) == (module_number, "studio", STUDIO_TEXT,
                                                       quiz_number)
        with app.app_context():
            db.engine.dispose()
