"""`flask --app app ...` commands: content import, check and catalogue, and the first-start bootstrap;
every feature package's own command group is registered here."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .accounts import ensure_first_admin
from .content.curriculum import ContentErrors, read_curriculum
from .content.errors import ContentError
from .content.importer import load_curriculum
from .extensions import db

content_cli = AppGroup("content", help="Import, check and export the curriculum.")


def record_conflicts(report) -> None:
    """Keep each conflict in the audit log once per file version, so the studio can show it."""
    from . import audit
    from .models import AuditEvent

    for conflict in report.conflicts:
        detail = (f"revisi studio {conflict.revision} dipertahankan" if conflict.revision
                  else "rincian dari studio dipertahankan") + \
            f"; berkas berbeda ({conflict.file_sha256[:12] or 'course.md'})"
        seen = db.session.scalar(db.select(AuditEvent.id).where(
            AuditEvent.action == audit.CONFLICT, AuditEvent.target_type == conflict.kind,
            AuditEvent.target_id == conflict.target_id, AuditEvent.detail == detail).limit(1))
        if seen is None:
            audit.record(None, audit.CONFLICT, conflict.kind, conflict.target_id, conflict.ref,
                         detail)


def import_curriculum(root: Path, replace=()):
    """Read and apply a curriculum folder in one transaction; roll back everything on error.
    Studio revisions are kept (reported as conflicts) unless their slug is in `replace`."""
    from .laws.cli import import_laws
    from .search.cli import shipped_glossary
    from .search.indexing import index_glossary

    try:
        report = load_curriculum(root, replace=replace)
        record_conflicts(report)
        import_laws(root)  # the register of laws the curriculum cites (laws/)
        index_glossary(db.session.connection(), shipped_glossary(root))
        db.session.commit()
        return report
    except BaseException:
        db.session.rollback()
        raise


def echo_report(report, echo=click.echo) -> None:
    echo(f"Curriculum import: {report.summary()}.")
    for line in report.created:
        echo(f"  + {line}")
    for line in report.updated:
        echo(f"  ~ {line}")
    for line in report.replaced:
        echo(f"  ! {line}: the studio's revision replaced on request (kept in its history)")
    for conflict in report.conflicts:
        echo(f"  = {conflict}")
    if report.conflicts:
        echo("  To apply a file anyway: flask --app app content import "
             "--replace-studio-edits SLUG ...")


def _fail_with(errors: list[ContentError]) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{len(errors)} error(s); nothing was imported.", err=True)
    sys.exit(1)


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--replace-studio-edits", "replace", multiple=True, metavar="SLUG",
              help="Apply the file over a revision published in the studio (course, module or "
                   "quiz slug; course/module for one module). Repeatable. History is kept.")
def content_import(path: Path | None, replace: tuple[str, ...]):
    """Import courses/ and quizzes/ under PATH (default: the shipped curriculum). Adds what is
    missing and updates what came from the files; never overwrites a studio revision unless
    asked with --replace-studio-edits: such items are listed as conflicts."""
    root = path or Path(current_app.config["CONTENT_ROOT"])
    try:
        report = import_curriculum(root, replace=replace)
    except ContentErrors as exc:
        _fail_with(exc.errors)
    except ContentError as exc:
        _fail_with([exc])
    echo_report(report)


@content_cli.command("check")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True,
              help="Also apply the curriculum rules (words per module, questions per quiz, ...).")
def content_check(path: Path | None, strict: bool):
    """Validate a curriculum folder without writing anything."""
    from .content.standards import curriculum_check

    root = path or Path(current_app.config["CONTENT_ROOT"])
    try:
        curriculum = read_curriculum(root)
    except ContentErrors as exc:
        _fail_with(exc.errors)
    except ContentError as exc:
        _fail_with([exc])
    result = curriculum_check(curriculum, strict=strict)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    problems = result.problems
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        click.echo(f"{len(problems)} problem(s).", err=True)
        sys.exit(1)
    modules = sum(len(c.modules) for c in curriculum.courses)
    click.echo(f"ok: {len(curriculum.courses)} courses, {modules} modules, "
               f"{len(curriculum.quizzes)} quizzes")


@content_cli.command("catalogue")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def content_catalogue(path: Path | None):
    """Print docs/curriculum.md: the courses, modules, legal references and quizzes."""
    from .content.catalogue import curriculum_catalogue

    root = path or Path(current_app.config["CONTENT_ROOT"])
    try:
        click.echo(curriculum_catalogue(read_curriculum(root)), nl=False)
    except ContentErrors as exc:
        _fail_with(exc.errors)


def _apply_law_changes(app: Flask) -> None:
    """The law changes kept in laws/changes/ (the 2026 penal reform), recorded once."""
    from .laws.cli import apply_change_files

    recorded = apply_change_files(Path(app.config["CONTENT_ROOT"]))
    db.session.commit()
    for change in recorded:
        print(f"Law change recorded: {change.law.citation} {change.article}, "
              f"{len(change.reviews)} review task(s) opened.")


def _index_if_empty(app: Flask) -> None:
    """A database migrated from before search existed: index everything once."""
    from .models import SearchDocument
    from .search.cli import shipped_glossary
    from .search.indexing import rebuild

    if db.session.query(SearchDocument.id).first() is None:
        rebuild(db.session.connection(), shipped_glossary(Path(app.config["CONTENT_ROOT"])))
        db.session.commit()


def bootstrap(app: Flask) -> None:
    """First start: migrate the database, import the curriculum, create the first administrator.

    Under a database-wide lock (learning/startup.py), so servers started together migrate once."""
    from flask_migrate import upgrade

    from .startup import bootstrap_lock, log_migrations_to_stdout

    if not app.testing:
        log_migrations_to_stdout(app)
    with app.app_context():
        with bootstrap_lock(app):
            _bootstrap_locked(app, upgrade)
        # gunicorn forks workers after this: none of them may inherit an open connection.
        db.session.remove()
        db.engine.dispose()


def _bootstrap_locked(app: Flask, upgrade) -> None:
    upgrade()
    if app.config.get("IMPORT_CURRICULUM_ON_START"):
        try:
            report = import_curriculum(Path(app.config["CONTENT_ROOT"]))
            if report.changed or report.conflicts:
                echo_report(report, print)
            _apply_law_changes(app)
        except (ContentErrors, ContentError) as exc:
            print(f"Curriculum NOT imported:\n{exc}", file=sys.stderr)
    _index_if_empty(app)
    credentials = ensure_first_admin()
    db.session.commit()
    db.session.remove()
    if credentials:
        username, password = credentials.split(":", 1)
        print("=" * 64)
        print("First administrator created. This password is shown only once:")
        print(f"  username: {username}")
        print(f"  password: {password}")
        print("You must choose a new password at first sign-in.")
        print("=" * 64, flush=True)


def register_cli(app: Flask) -> None:
    """The command groups: content and bootstrap here, and each feature package's own group."""
    from .admin.cli import users_cli
    from .admin.org_cli import offices_cli, regions_cli
    from .backup import backup_command, restore_command
    from .certificates.cli import reminders_cli
    from .content.moodle.cli import COMMANDS as question_bank_commands
    from .content.export_cli import export_command
    from .content.printable_cli import printables_command
    from .demo.cli import demo_command
    from .laws.cli import laws_cli
    from .events.cli import events_cli
    from .media.cli import media_cli
    from .reports.cli import reports_cli
    from .search.cli import search_cli
    from .xapi.cli import xapi_cli

    for command in (*question_bank_commands, printables_command, export_command):
        content_cli.add_command(command)
    for group in (content_cli, users_cli, regions_cli, offices_cli, reports_cli, reminders_cli,
                  demo_command, laws_cli, search_cli, backup_command, restore_command, xapi_cli,
                  events_cli, media_cli):
        app.cli.add_command(group)

    @app.cli.command("bootstrap")
    def bootstrap_command():
        """Migrate, import the shipped curriculum and create the first administrator."""
        bootstrap(current_app._get_current_object())
