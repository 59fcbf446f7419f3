"""Account forms. Every form is a FlaskForm, so every POST carries a CSRF token."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from learning.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    identifier = StringField(_l("Nama pengguna atau NIP"),
                             validators=[DataRequired(_l("Isi nama pengguna atau NIP.")),
                                         Length(max=64)])
    password = PasswordField(_l("Kata sandi"),
                             validators=[DataRequired(_l("Isi kata sandi.")), Length(max=200)])
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Kata sandi saat ini"),
                            validators=[DataRequired(_l("Isi kata sandi saat ini."))])
    new = PasswordField(_l("Kata sandi baru"), validators=[
        DataRequired(_l("Isi kata sandi baru.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("Kata sandi baru minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH))])
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru.")),
        EqualTo("new", message=_l("Kedua kata sandi baru tidak sama."))])


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Bahasa"), choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    next = HiddenField()


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for one-button actions (sign out, mark done)."""
