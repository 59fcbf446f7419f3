"""`flask --app app users ...`: accounts from the console (the administrator's pages do the same)."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learning.accounts import AccountError, NewUser, check_new_password, create_user
from learning.extensions import db
from learning.models import User
from .people import PeopleError, PersonDetails, clean, reset_password

users_cli = AppGroup("users", help="Manage user accounts.")


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
