"""One migration however many servers start: the bootstrap runs under a lock on the database.

PostgreSQL: a session-level advisory lock, held on its own connection while the bootstrap runs on
others. SQLite: an exclusive `flock` on a file beside the database (the write lock of the database
itself cannot be held across Alembic's own transactions). The first server to take the lock
migrates and imports; the others wait, then find nothing to do and go on.
"""
from __future__ import annotations

import fcntl
import logging
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from flask import Flask

from .extensions import db

ADVISORY_LOCK_KEY = 0x5049_4D50  # "PIMP": the same number on every server
log = logging.getLogger("pimpasa.startup")


@contextmanager
def bootstrap_lock(app: Flask) -> Iterator[None]:
    """Hold the database-wide bootstrap lock (inside an app context)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            log.info("bootstrap: waiting for the migration lock")
            conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            log.info("bootstrap: migration lock taken")
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
        return
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".bootstrap-lock"), "a") as handle:
        log.info("bootstrap: waiting for the migration lock")
        fcntl.flock(handle, fcntl.LOCK_EX)
        log.info("bootstrap: migration lock taken")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_migrations_to_stdout(app: Flask) -> None:
    """Alembic's "Running upgrade" lines on standard output, without its file-based logging set-up
    (which would close gunicorn's log handlers): see migrations/env.py."""
    app.config["ALEMBIC_FILE_LOGGING"] = False
    handler = logging.StreamHandler(sys.stdout)
    handler._pimpasa_startup = True
    handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] [%(levelname)s] %(name)s: "
                                           "%(message)s", "%Y-%m-%d %H:%M:%S %z"))
    for name in ("alembic", "pimpasa.startup"):
        logger = logging.getLogger(name)
        if not any(getattr(h, "_pimpasa_startup", False) for h in logger.handlers):
            logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
