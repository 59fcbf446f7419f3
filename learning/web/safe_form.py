"""Forms and query strings that refuse text no database should receive.

PostgreSQL refuses a NUL character in any text value, and control characters have no place in a
name, a code or a search. `SafeForm` is the base of every form in the app: after the usual
validators it gives a field error ("contains a control character") for any text field holding
one, and a field error for a whole number outside the database's integer range (a 20-digit
`region_id`). `refuse_control_characters_in_query` (installed by `init_safe_input`) answers a
query string carrying one (`?q=%00`) with a 400 that says so.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.exceptions import BadRequest

from learning.control_chars import has_control_characters
from .bounded_input import DB_INT_MAX

CONTROL_MESSAGE = _l("Isian ini berisi karakter kendali (misalnya NUL) yang tidak diterima. "
                     "Hapus karakter itu lalu kirim lagi.")
RANGE_MESSAGE = _l("Angka ini di luar batas yang dapat disimpan.")


class InputRefused(BadRequest):
    """A request whose query string carries a control character; answered with a clear 400."""


class SafeForm(FlaskForm):
    """FlaskForm (CSRF) that also refuses control characters and out-of-range whole numbers."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if field.type in ("CSRFTokenField", "FileField", "MultipleFileField"):
                continue
            problem = _field_problem(field)
            if problem is not None:
                field.errors = [*field.errors, problem]
                valid = False
        return valid


def _field_problem(field):
    raw = field.raw_data or []
    if any(has_control_characters(value) for value in raw):
        return CONTROL_MESSAGE
    data = field.data
    values = data if isinstance(data, (list, tuple)) else [data]
    for value in values:
        if has_control_characters(value):
            return CONTROL_MESSAGE
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > DB_INT_MAX:
            return RANGE_MESSAGE
    return None


def refuse_control_characters_in_query() -> None:
    for key, value in request.args.items(multi=True):
        if has_control_characters(key) or has_control_characters(value):
            raise InputRefused()


def init_safe_input(app: Flask) -> None:
    app.before_request(refuse_control_characters_in_query)
