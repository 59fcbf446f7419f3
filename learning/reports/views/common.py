"""What every report page shares: reading the filters, formatting cells and charts, downloads."""
from __future__ import annotations

from datetime import date, datetime
from functools import partial
from markupsafe import Markup
from flask import Response, abort, render_template, request, url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l
from learning import reports
from learning.clock import app_timezone, today
from learning.reports import charts, export
from ..blueprint import bp
from learning.reports.tables import BOOL, DATE, DATETIME, DECIMAL, INT, PERCENT, SCORE, TEXT
from learning.web.errors import render_error
from learning.web.bounded_input import parse_db_int


FORMATS = ("csv", "xlsx")
_UNIT_TABLES = {"national": "kanwil", "region": "kantor", "office": "petugas"}
HELP_PER_PAGE = 100
FILTER_MESSAGES = {
    "bad_date": _l("Tanggal harus berformat TTTT-BB-HH, misalnya 2026-01-31."),
    "date_out_of_range": _l("Tanggal di luar rentang yang didukung (2000–2100)."),
    "range_reversed": _l("Tanggal akhir tidak boleh sebelum tanggal awal."),
    "unknown_course": _l("Kursus tidak dikenal."),
    "bad_days": _l("Jumlah hari harus angka 1 sampai 365."),
    "bad_page": _l("Nomor halaman tidak sah."),
    "bad_number": _l("Nilai ini harus berupa angka."),
}


class _BadFilter(Exception):
    def __init__(self, error: reports.FilterError):
        self.error = error


@bp.errorhandler(_BadFilter)
def _bad_filter(exc: _BadFilter):
    """A filter value that cannot be used: the filter form again, the message beside the field."""
    message = str(FILTER_MESSAGES.get(exc.error.code, FILTER_MESSAGES["bad_number"]))
    if request.accept_mimetypes.best == "application/json":
        return render_error(400, message)
    return render_template("reports/filter_error.html", field=exc.error.field, message=message,
                           args=request.args, courses=reports.published_courses()), 400



def read_filter(dates: bool = True) -> reports.ReportFilter:
    try:
        return reports.parse_filter(request.args, dates)
    except reports.FilterError as exc:
        raise _BadFilter(exc) from None


def read_int(name: str) -> int | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    value = parse_db_int(text)
    if value is None:
        raise _BadFilter(reports.FilterError(name, "bad_number"))
    return value


def _call(parse, *args):
    try:
        return parse(request.args, *args)
    except reports.FilterError as exc:
        raise _BadFilter(exc) from None


# --------------------------------------------------------------------------- presentation


def report_cell(value, kind: str) -> str | Markup:
    """A cell as the page shows it: numbers and dates in the reader's locale ("18 Okt 2026",
    never ISO: that is for the downloads), text as it is (only the downloads guard against
    formulas), yes/no as in the export."""
    if value is None:
        return "—"
    if isinstance(value, date):  # the download's form stays machine-readable in <time>
        shown = format_datetime(value, "medium") if isinstance(value, datetime) \
            else format_date(value, "medium")
        return Markup('<time datetime="%s">%s</time>') % (
            export.cell_text(value, kind, app_timezone()), shown)
    if kind == TEXT and not isinstance(value, (bool, date)):
        return str(value)
    if isinstance(value, bool) or kind in (DATE, DATETIME, BOOL) or not isinstance(value, (int, float)):
        return export.cell_text(value, kind, app_timezone())
    if kind == PERCENT:
        return format_decimal(value, format="#,##0.0") + "%"
    if kind == SCORE:
        return format_decimal(value, format="#,##0.0")
    if kind == DECIMAL:
        return format_decimal(value, format="#,##0.00")
    if kind == INT or isinstance(value, int):
        return format_decimal(value, format="#,##0")
    return format_decimal(value)


def report_link(link: tuple | None, keep: dict | None = None) -> str | None:
    """The URL a row's first cell opens."""
    if not link:
        return None
    kind, ident = link
    keep = keep or {}
    if kind == "region":
        return url_for("reports.region", region_id=ident, **keep)
    if kind == "office":
        return url_for("reports.office", office_id=ident, **keep)
    if kind == "officer":
        return url_for("reports.officer", user_id=ident)
    if kind == "quiz":
        return url_for("reports.quiz", quiz_id=ident)
    return None


def chart_bars(table: reports.ReportTable, key: str) -> list[tuple[str, float | None]]:
    """(label, value) pairs of one column, for a chart beside the table."""
    return [(str(row.values[0]), row.value(table, key)) for row in table.rows]


def chart_weeks(table: reports.ReportTable) -> list[tuple[date, int]]:
    return [(row.values[0], row.values[1]) for row in table.rows]


@bp.record_once
def _report_helpers(state):
    """Template globals (also seen by imported macros, unlike context processors)."""
    state.app.jinja_env.globals.update({
            "report_cell": report_cell, "report_link": report_link, "chart_bars": chart_bars,
            "chart_weeks": chart_weeks,
            "bar_chart": charts.bar_chart,
            "column_chart": partial(charts.column_chart,
                                    day_label=lambda day: format_date(day, "d MMM")),
            "chart_number": lambda v: format_decimal(v, format="#,##0.0")})


def download(table: reports.ReportTable, fmt: str, *parts: str) -> Response:
    if fmt not in FORMATS:
        abort(404)
    if fmt == "csv":
        body, mimetype = export.table_csv(table, app_timezone()), export.CSV_TYPE
    else:
        body, mimetype = export.table_xlsx(table, app_timezone()), export.XLSX_TYPE
    response = Response(body, mimetype=mimetype)
    name = export.export_filename(table, fmt, today(), *parts)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _pick(tables: dict, name: str) -> reports.ReportTable:
    if name not in tables:
        abort(404)
    return tables[name]()
