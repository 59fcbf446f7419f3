"""Engine set-up: SQLite tuned for several workers, PostgreSQL as it is.

On SQLite every connection uses WAL (readers never block the writer), waits on a busy lock
instead of failing, and a transaction that will write takes the write lock up front
(BEGIN IMMEDIATE), so two workers can never deadlock upgrading read locks: the cause of
"database is locked". Read-only requests (GET and HEAD to views not marked @writes) begin a
plain deferred transaction, so readers never queue behind writers.
"""
from __future__ import annotations

from flask import current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 15000
_WRITING = "pimpasa.writing"  # set in the WSGI environ: lives exactly as long as the request


def writes(view):
    """Mark a GET view that writes (e.g. recording that a module was opened)."""
    view.writes = True
    return view


def begin_writing() -> None:
    """From here on, this request's transactions take the write lock up front.

    For a GET view that reads and renders first, in a plain transaction that does not queue behind
    writers, and then records something: end the reading transaction, call this, write, commit.
    The lock is then held only for the write itself, not for the whole request.
    """
    request.environ[_WRITING] = True


def _request_may_write() -> bool:
    if not has_request_context():
        return True  # CLI commands, jobs and tests outside a request
    if request.method not in ("GET", "HEAD", "OPTIONS") or request.environ.get(_WRITING):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes", False))


def configure_sqlite(engine: Engine) -> None:
    """Install the connection pragmas and the BEGIN policy on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _request_may_write() else "BEGIN")
