"""`flask --app app ...` commands: content, users, and the first-start bootstrap."""
from __future__ import annotations

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup

from .accounts import AccountError, NewUser, check_new_password, create_user, ensure_first_admin
from .content.curriculum import ContentErrors, read_curriculum
from .content.errors import ContentError
from .content.importer import apply_curriculum
from .extensions import db
from .models import User
from .people import PeopleError, PersonDetails, clean, reset_password

content_cli = AppGroup("content", help="Import, check and export the curriculum.")
users_cli = AppGroup("users", help="Manage user accounts.")
reports_cli = AppGroup("reports", help="Maintain what the reports read.")


def import_curriculum(root: Path):
    """Read and apply a curriculum folder in one transaction; roll back everything on error."""
    try:
        curriculum = read_curriculum(root)
        report = apply_curriculum(curriculum)
        db.session.commit()
        return report
    except BaseException:
        db.session.rollback()
        raise


def _fail_with(errors: list[ContentError]) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{len(errors)} error(s); nothing was imported.", err=True)
    sys.exit(1)


@content_cli.command("import")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def content_import(path: Path | None):
    """Import courses/ and quizzes/ under PATH (default: the shipped curriculum)."""
    root = path or Path(current_app.config["CONTENT_ROOT"])
    try:
        report = import_curriculum(root)
    except ContentErrors as exc:
        _fail_with(exc.errors)
    except ContentError as exc:
        _fail_with([exc])
    click.echo(f"created {len(report.created)}, updated {len(report.updated)}, "
               f"unchanged {len(report.unchanged)}")
    for line in report.created:
        click.echo(f"  + {line}")
    for line in report.updated:
        click.echo(f"  ~ {line}")


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


def _refused(what: str, exc: AccountError | PeopleError) -> click.ClickException:
    db.session.rollback()
    field = getattr(exc, "field", None)
    params = getattr(exc, "params", {}) or {}
    detail = ", ".join(f"{k}={v}" for k, v in params.items())
    return click.ClickException(f"cannot {what}: {exc.code if isinstance(exc, PeopleError) else exc}"
                                + (f" ({field})" if field else "") + (f" [{detail}]" if detail else ""))


@users_cli.command("create")
@click.option("--username", required=True, help="3-64 characters: a-z, 0-9, '.', '_' or '-'.")
@click.option("--name", "full_name", required=True)
@click.option("--role", type=click.Choice(["officer", "trainer", "admin"]), default="officer")
@click.option("--office", "office_code", default="", help="Office code (Kantor Imigrasi); officers need one.")
@click.option("--nip", default="", help="18 digits.")
@click.option("--email", default="")
def users_create(username, full_name, role, office_code, nip, email):
    """Create a user with the same checks as the administrator's form; the password is read from
    a prompt (or standard input), never an argument."""
    password = click.prompt("Password", hide_input=True, err=True)
    try:
        check_new_password(password)
        person = clean(PersonDetails(full_name=full_name, username=username, nip=nip, email=email,
                                     office_code=office_code, role=role))
        user = create_user(NewUser(username=person.username, full_name=person.full_name,
                                   role=person.role, nip=person.nip or None,
                                   email=person.email or None,
                                   office_code=person.office_code or None), password)
        db.session.commit()
    except (AccountError, PeopleError) as exc:
        raise _refused("create user", exc) from None
    click.echo(f"created {user.role} {user.username}")


@users_cli.command("reset-password")
@click.argument("username")
def users_reset_password(username):
    """Give USERNAME a new one-time password (printed once; it must be changed at the next sign-in)
    and end their sessions. The way back in for an administrator who lost their password."""
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(f"no user named {username}")
    try:
        password = reset_password(user, actor=None)
        db.session.commit()
    except PeopleError as exc:
        raise _refused("reset the password", exc) from None
    click.echo(f"one-time password for {user.username} (shown only once): {password}")
    if not user.active:
        click.echo("note: this account is deactivated; reactivate it on the People page first.")


def bootstrap(app: Flask) -> None:
    """First start: migrate the database, import the curriculum, create the first administrator."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        if app.config.get("IMPORT_CURRICULUM_ON_START"):
            try:
                report = import_curriculum(Path(app.config["CONTENT_ROOT"]))
                if report.changed:
                    print(f"Curriculum imported: {len(report.created)} created, "
                          f"{len(report.updated)} updated.")
            except (ContentErrors, ContentError) as exc:
                print(f"Curriculum NOT imported:\n{exc}", file=sys.stderr)
        credentials = ensure_first_admin()
        db.session.commit()
        if credentials:
            username, password = credentials.split(":", 1)
            print("=" * 64)
            print("First administrator created. This password is shown only once:")
            print(f"  username: {username}")
            print(f"  password: {password}")
            print("You must choose a new password at first sign-in.")
            print("=" * 64, flush=True)
        # gunicorn forks workers after this: none of them may inherit an open connection.
        db.session.remove()
        db.engine.dispose()


@reports_cli.command("rebuild")
def rebuild_standings_command():
    """Recompute every officer's course standing from progress and attempts (after a restore or
    a hand edit of the database; the app keeps it current by itself)."""
    from . import standing

    rows = standing.rebuild()
    db.session.commit()
    click.echo(f"{rows} course standing row(s) rebuilt.")


def register_cli(app: Flask) -> None:
    from .cli_quiz import import_gift_command  # quiz: content import-gift

    content_cli.add_command(import_gift_command)
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(reports_cli)
    from .cli_reminders import reminders_cli  # certificates: reminders send

    app.cli.add_command(reminders_cli)
    from .cli_demo import demo_command  # reports: demo data

    app.cli.add_command(demo_command)

    @app.cli.command("bootstrap")
    def bootstrap_command():
        """Migrate, import the shipped curriculum and create the first administrator."""
        bootstrap(current_app._get_current_object())
