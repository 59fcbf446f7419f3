"""`flask --app app users ...`: accounts from the console (the administrator's pages do the same)."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import gettext as _

from learning.accounts import (MIN_PASSWORD_LENGTH, AccountError, NewUser, check_new_password,
                               create_user)
from learning.console import read_password, speaking
from learning.extensions import db
from learning.models import User
from .messages import FIELD_NAMES, message
from .people import PeopleError, PersonDetails, clean, reset_password

users_cli = AppGroup("users", help="Manage user accounts.")


def _refused(exc: AccountError | PeopleError, **context) -> click.ClickException:
    """The refusal as a sentence in the operator's language, with what to do about it."""
    db.session.rollback()
    code = getattr(exc, "code", None) or str(exc)
    params = {**context, **(getattr(exc, "params", {}) or {}), "min": MIN_PASSWORD_LENGTH}
    text = message(code, params)
    field = getattr(exc, "field", None)
    if field in FIELD_NAMES and code.startswith("bad_"):
        text = f"{FIELD_NAMES[field]}: {text}"
    if code == "unknown_office":
        text += " " + _("Buat kantornya dengan: flask --app app offices create --code KODE "
                        "--name \"Nama Kantor\" --region KODE-KANWIL (daftar kantor: flask --app "
                        "app offices list).")
    return click.ClickException(text)


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
    with speaking():
        _create(username, full_name, role, office_code, nip, email,
                read_password(_("Kata sandi")))


def _create(username, full_name, role, office_code, nip, email, password):
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
        raise _refused(exc, code=office_code.strip().upper()) from None
    click.echo(_("Akun %(username)s (%(role)s) dibuat.", username=user.username, role=user.role))


@users_cli.command("reset-password")
@click.argument("username")
def users_reset_password(username):
    """Give USERNAME a new one-time password (printed once; it must be changed at the next sign-in)
    and end their sessions. The way back in for an administrator who lost their password."""
    with speaking():
        user = db.session.scalar(sa.select(User)
                                 .where(sa.func.lower(User.username) == username.lower()))
        if user is None:
            raise click.ClickException(_(
                "Tidak ada pengguna bernama %(username)s. Periksa ejaannya di halaman Pengguna.",
                username=username))
        try:
            password = reset_password(user, actor=None)
            db.session.commit()
        except PeopleError as exc:
            raise _refused(exc) from None
        click.echo(_("Kata sandi sekali pakai untuk %(username)s (hanya ditampilkan sekali): "
                     "%(password)s", username=user.username, password=password))
        if not user.active:
            click.echo(_("Catatan: akun ini nonaktif; aktifkan dulu di halaman Pengguna."))
