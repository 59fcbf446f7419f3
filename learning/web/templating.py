"""What every template may use: the locale, the role menu, dates in the user's language."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, url_for
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

STAFF = {"trainer", "admin"}
EVERYONE = {"officer", "trainer", "admin"}
MENU = [
    ("certificates.mine", _l("Sertifikat Saya"), EVERYONE),
    ("events.index", _l("Pelatihan & JP"), EVERYONE),
    ("studio.index", _l("Studio"), STAFF),
    ("reports.index", _l("Laporan"), STAFF),
    ("grants.index", _l("Kesempatan tambahan"), STAFF),
    ("admin.index", _l("Admin"), {"admin"}),
]


def staff_menu() -> list[dict]:
    """The extra menu entries this user's role opens."""
    if not current_user.is_authenticated:
        return []
    return [{"url": url_for(endpoint), "label": label}
            for endpoint, label, roles in MENU
            if current_user.role in roles]


def _format_date(value, style: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, style)
    if isinstance(value, date):
        return format_date(value, style)
    return str(value)


def _format_number(value, digits: int | None = None) -> str:
    """1234.5 -> '1.234,5' in Indonesian, '1,234.5' in English."""
    if value is None:
        return ""
    if digits is not None:
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return format_decimal(value)


def _format_percent(value, digits: int = 0) -> str:
    """A fraction as a percentage in the user's locale: 0.755 -> '76%' (id and en)."""
    if value is None:
        return ""
    return format_percent(value, format="#,##0." + "0" * digits + "%" if digits else "#,##0%")


def init_templating(app: Flask) -> None:
    app.jinja_env.globals["staff_menu"] = staff_menu
    app.jinja_env.filters["format_date"] = _format_date
    app.jinja_env.filters["format_number"] = _format_number
    app.jinja_env.filters["format_percent"] = _format_percent

    @app.context_processor
    def _locale():
        return {"current_locale": str(get_locale() or "id")}
