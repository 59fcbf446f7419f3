"""The calendar the officers live by: the application's time zone, today's local date, months.

Every page, report and job that needs "today" asks this module, so a server whose system clock
runs in UTC still dates a completion, a due date or a certificate in the officers' own zone
(`BABEL_DEFAULT_TIMEZONE`, Asia/Jakarta unless configured).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Jakarta"


def app_timezone() -> str:
    """The configured time zone name, or Asia/Jakarta outside an application."""
    if has_app_context():
        return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE
    return DEFAULT_TIMEZONE


def local_date(moment: datetime, tz: str | None = None) -> date:
    """The calendar date of `moment` in `tz` (default: the application's time zone)."""
    return moment.astimezone(ZoneInfo(tz or app_timezone())).date()


def today(tz: str | None = None) -> date:
    """Today's date where the officers are."""
    return local_date(datetime.now(timezone.utc), tz)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day when needed."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = date(year + (month // 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))
