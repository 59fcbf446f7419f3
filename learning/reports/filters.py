"""Report filters: course and date range, read from a page's query string and checked.

The date range selects what happened in it: completions and quiz scores inside the range count;
"started" counts officers who had started by the end of the range. Dates are calendar days where
the officers are (BABEL_DEFAULT_TIMEZONE, Asia/Jakarta by default), both ends included.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Course

EARLIEST = date(2000, 1, 1)
DEFAULT_HELP_DAYS = 14
MAX_HELP_DAYS = 365


class FilterError(ValueError):
    """A filter value cannot be used: `field` is the query parameter, `code` the problem."""

    def __init__(self, field: str, problem: str, **params):
        super().__init__(f"{field}: {problem}")
        self.field, self.code, self.params = field, problem, params


@dataclass(frozen=True)
class ReportFilter:
    course_id: int | None = None
    course_slug: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def bounds(self, tz: str) -> tuple[datetime | None, datetime | None]:
        """The range as UTC instants [start, end): midnight local time at both ends."""
        zone = ZoneInfo(tz)

        def instant(day: date) -> datetime:
            return datetime.combine(day, time(0), zone).astimezone(timezone.utc)

        start = instant(self.date_from) if self.date_from else None
        end = instant(self.date_to + timedelta(days=1)) if self.date_to else None
        return start, end

    def query_args(self) -> dict[str, str]:
        """The filter as query-string arguments, for links that keep it."""
        args = {}
        if self.course_slug:
            args["course"] = self.course_slug
        if self.date_from:
            args["from"] = self.date_from.isoformat()
        if self.date_to:
            args["to"] = self.date_to.isoformat()
        return args

    def course_args(self) -> dict[str, str]:
        """Only the course, for links to a report without a date range ('perlu bantuan')."""
        return {"course": self.course_slug} if self.course_slug else {}

    @property
    def is_set(self) -> bool:
        return bool(self.course_id or self.date_from or self.date_to)


def _date(args: Mapping, name: str) -> date | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FilterError(name, "bad_date") from None
    if day < EARLIEST or day.year > 2100:
        raise FilterError(name, "date_out_of_range")
    return day


def parse_filter(args: Mapping, dates: bool = True) -> ReportFilter:
    """`course` (a course slug), `from` and `to` (YYYY-MM-DD) from a query string. A report that
    has no date range (`dates` False: 'perlu bantuan' is the state of today) reads the course
    alone and leaves `from` and `to` aside."""
    slug = (args.get("course") or "").strip()
    course_id = None
    if slug:
        course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == slug))
        if course_id is None:
            raise FilterError("course", "unknown_course")
    if not dates:
        return ReportFilter(course_id=course_id, course_slug=slug if course_id else "")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise FilterError("to", "range_reversed")
    return ReportFilter(course_id=course_id, course_slug=slug if course_id else "",
                        date_from=date_from, date_to=date_to)


def parse_days(args: Mapping, name: str = "days", default: int = DEFAULT_HELP_DAYS) -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_HELP_DAYS:
        raise FilterError(name, "bad_days", max=MAX_HELP_DAYS)
    return int(text)


def parse_page(args: Mapping, name: str = "page") -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return 1
    if not (text.isascii() and text.isdigit()) or len(text) > 6 or not 1 <= int(text) <= 100_000:
        raise FilterError(name, "bad_page")
    return int(text)
