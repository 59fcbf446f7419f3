"""Backup and restore of the whole state: `flask --app app backup PATH` / `restore PATH --yes`.

A backup is one tar.gz file holding:

- `database.dump` (PostgreSQL: `pg_dump --format=custom`, taken in the same snapshot as the row
  counts, through `pg_export_snapshot()`), or `database.sqlite` (SQLite's online backup API, safe
  while the site runs);
- `media/`: the images under MEDIA_ROOT, when images are kept in a folder rather than the database;
- `manifest.json`: the database kind, the migration revision and every table's row count.

Restoring replaces the database (PostgreSQL: the `public` schema is dropped and rebuilt by
`pg_restore`; SQLite: the backup is copied in page by page) and the media files, then counts
every table again and fails unless each count matches the manifest. Users, progress, attempts,
revisions, images, certificates and the audit log are all rows, so they all come back; the
certificate signing key and SECRET_KEY are settings, not data: keep them with the server's
configuration (docs/deployment.md).
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from .extensions import db

FORMAT = 1


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why."""


@dataclass
class Manifest:
    dialect: str
    revision: str | None
    created_at: str
    counts: dict[str, int]
    media_files: int = 0
    format: int = FORMAT


def _table_names() -> list[str]:
    return [t.name for t in db.metadata.sorted_tables] + ["alembic_version"]


def table_counts(connection) -> dict[str, int]:
    present = set(sa.inspect(connection).get_table_names())
    return {name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in _table_names() if name in present}


def _revision(connection) -> str | None:
    if "alembic_version" not in sa.inspect(connection).get_table_names():
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _libpq(url: sa.engine.URL) -> tuple[str, dict]:
    """A libpq URL without the password (kept out of `ps`), and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict | None = None) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _sqlite_path(engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _dump(workdir: Path) -> tuple[str, dict[str, int], str | None]:
    engine = db.engine
    if engine.dialect.name == "postgresql":
        url, env = _libpq(engine.url)
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            with conn.begin():
                snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
                counts, revision = table_counts(conn), _revision(conn)
                _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                      f"--snapshot={snapshot}", f"--file={workdir / 'database.dump'}", url], env)
        return "postgresql", counts, revision
    if engine.dialect.name == "sqlite":
        target = workdir / "database.sqlite"
        source = sqlite3.connect(_sqlite_path(engine))
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            source.close()
            destination.close()
        copy = sa.create_engine(f"sqlite:///{target}")
        with copy.connect() as conn:
            counts, revision = table_counts(conn), _revision(conn)
        copy.dispose()
        return "sqlite", counts, revision
    raise BackupError(f"no backup method for {engine.dialect.name}")


def make_backup(path: Path) -> Manifest:
    """Write the backup file at `path` (atomically: a partial file never has the final name)."""
    path = Path(path)
    db.session.remove()  # the dump reads on its own connection
    media_root = current_app.config.get("MEDIA_ROOT")
    with tempfile.TemporaryDirectory(prefix="pimpasa-backup-") as name:
        workdir = Path(name)
        dialect, counts, revision = _dump(workdir)
        media = sorted(p for p in Path(media_root).rglob("*") if p.is_file()) if media_root else []
        manifest = Manifest(dialect=dialect, revision=revision, counts=counts,
                            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            media_files=len(media))
        (workdir / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=2))
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(workdir / "manifest.json", "manifest.json")
            for data in ("database.dump", "database.sqlite"):
                if (workdir / data).exists():
                    archive.add(workdir / data, data)
            for file in media:
                archive.add(file, "media/" + file.relative_to(media_root).as_posix())
        partial.replace(path)
    return manifest


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path, "r:gz") as archive:
            data = json.load(archive.extractfile("manifest.json"))
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{path} is not a Pimpasa backup: {exc}") from exc
    if data.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {data.get('format')} is not supported")
    return Manifest(**data)


def current_counts() -> dict[str, int]:
    """Every table's row count, read in the current session (which is then ended)."""
    try:
        return table_counts(db.session.connection())
    finally:
        db.session.remove()


def restore_backup(path: Path) -> Manifest:
    """Replace the database and media with the backup at `path`; verify every table's count."""
    manifest = read_manifest(path)
    engine = db.engine
    if manifest.dialect != engine.dialect.name:
        raise BackupError(f"the backup is of a {manifest.dialect} database; this site uses "
                          f"{engine.dialect.name}")
    db.session.remove()
    with tempfile.TemporaryDirectory(prefix="pimpasa-restore-") as name:
        workdir = Path(name)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(workdir, filter="data")
        if manifest.dialect == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
            engine.dispose()
            url, env = _libpq(engine.url)
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                  f"--dbname={url}", str(workdir / "database.dump")], env)
        else:
            engine.dispose()
            source = sqlite3.connect(workdir / "database.sqlite")
            destination = sqlite3.connect(_sqlite_path(engine))
            try:
                source.backup(destination)
            finally:
                source.close()
                destination.close()
        media_root = current_app.config.get("MEDIA_ROOT")
        if (workdir / "media").is_dir():
            if not media_root:
                raise BackupError("the backup holds media files but MEDIA_ROOT is not set")
            shutil.copytree(workdir / "media", media_root, dirs_exist_ok=True)
    engine.dispose()
    after = current_counts()
    wrong = {t: (n, after.get(t)) for t, n in manifest.counts.items() if after.get(t) != n}
    if wrong:
        raise BackupError("restored row counts differ from the backup: " +
                          ", ".join(f"{t} {a} != {b}" for t, (a, b) in wrong.items()))
    return manifest


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Write a backup of the whole state (database, media) to PATH (.tar.gz)."""
    try:
        manifest = make_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written: {path} ({path.stat().st_size} bytes, {manifest.dialect}, "
               f"revision {manifest.revision}, {manifest.media_files} media files)")
    for table, count in sorted(manifest.counts.items()):
        click.echo(f"  {table:<28} {count:>9}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current data (required when it has any).")
@with_appcontext
def restore_command(path: Path, yes: bool):
    """Replace the database and media with the backup at PATH, then check every table's count."""
    try:
        manifest = read_manifest(path)
        before = current_counts()
        if sum(before.get(t, 0) for t in before if t != "alembic_version") and not yes:
            raise click.ClickException(
                f"this database holds {sum(before.values())} rows "
                f"({before.get('users', 0)} users); nothing was changed. Run again with --yes to "
                f"replace them with the backup of {manifest.created_at}.")
        restore_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored {path} (taken {manifest.created_at}); every table's count matches:")
    for table, count in sorted(manifest.counts.items()):
        click.echo(f"  {table:<28} {before.get(table, 0):>9} -> {count:>9}")
