"""Account forms. Every form is a SafeForm: each POST carries a CSRF token, no control character."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from learning.accounts import MIN_PASSWORD_LENGTH
from .safe_form import SafeForm


def password_message(code: str) -> str:
    """Why a new password was refused (learning.passwords), in the user's language."""
    if code == "too_short":
        return _("Kata sandi baru minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH)
    if code == "same_as_account":
        return _("Kata sandi baru tidak boleh sama dengan nama pengguna, NIP atau nama Anda.")
    return _("Kata sandi ini terlalu umum atau mudah ditebak: ada dalam daftar kata sandi yang "
             "sering dipakai atau bocor, atau bertumpu pada kata seperti pimpasa, imigrasi, nama "
             "pengguna atau NIP Anda. Pakai beberapa kata acak, misalnya empat kata yang dipisah "
             "tanda hubung.")


class LoginForm(SafeForm):
    identifier = StringField(_l("Nama pengguna atau NIP"),
                             validators=[DataRequired(_l("Isi nama pengguna atau NIP.")),
                                         Length(max=64)])
    password = PasswordField(_l("Kata sandi"),
                             validators=[DataRequired(_l("Isi kata sandi.")), Length(max=200)])
    next = HiddenField()


class ChangePasswordForm(SafeForm):
    current = PasswordField(_l("Kata sandi saat ini"),
                            validators=[DataRequired(_l("Isi kata sandi saat ini."))])
    new = PasswordField(_l("Kata sandi baru"), validators=[
        DataRequired(_l("Isi kata sandi baru.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Kata sandi baru minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru.")),
        EqualTo("new", message=_l("Kedua kata sandi baru tidak sama."))])


class LanguageForm(SafeForm):
    lang = SelectField(_l("Bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    next = HiddenField()


class EmptyForm(SafeForm):
    """A form with only the CSRF token, for one-button actions (sign out, mark done)."""
