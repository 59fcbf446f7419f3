"""Fixtures: a real database (SQLite file, or PostgreSQL when DATABASE_URL says so), the app,
its test client, and factories for users and a small curriculum."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import flask_babel
import sqlalchemy as sa
from flask import g, request_started

from learning import create_app
from learning.extensions import db as _db
from learning.extensions import limiter

from .factories import PASSWORD, login  # noqa: F401  (re-exported for tests)


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database, created fresh."""
    if not url.startswith("postgresql") or worker == "master":
        return url
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return _worker_database(url, worker_id)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def worker_id(request) -> str:
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CONTENT_ROOT": Path(__file__).parent / "data" / "curriculum",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    })
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _empty_all_tables() -> None:
    tables = _db.metadata.sorted_tables
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            for table in reversed(tables):
                conn.execute(table.delete())


def _forget_request_user(sender, **extra):
    """Tests keep one app context open across requests; each request must load its user anew."""
    g.pop("_login_user", None)
    flask_babel.refresh()


@pytest.fixture
def app(_app):
    """The app with an empty database, inside an application context."""
    limiter.reset()
    request_started.connect(_forget_request_user, _app)
    with _app.app_context():
        yield _app
        _db.session.remove()
        _empty_all_tables()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
