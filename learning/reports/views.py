"""Reports (/admin/reports): completion from national level down to one officer, the weekly
trend, 'perlu bantuan', item analysis and officer detail, each table downloadable as CSV and XLSX.

Trainers and administrators may read every report; nothing here changes data. Officers get 403 on
every URL (their own progress is on their dashboard), so guessing another officer's detail or
export URL gets them nothing. Every view parses its filters, calls one domain function per table
and renders; the export of a table calls the very same function.
"""
from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import format_decimal
from flask_login import current_user
from flask_babel import lazy_gettext as _l

from learning import reports
from learning.clock import app_timezone, today
from learning.extensions import db
from learning.models import Office, Quiz, Region, Role, User, utcnow
from . import charts, export
from .blueprint import bp
from .tables import BOOL, DATE, DATETIME, DECIMAL, INT, PERCENT, SCORE, TEXT
from learning.web.access import staff_required
from learning.web.errors import render_error


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
    if not text.isdigit() or len(text) > 9:
        raise _BadFilter(reports.FilterError(name, "bad_number"))
    return int(text)


def _call(parse, *args):
    try:
        return parse(request.args, *args)
    except reports.FilterError as exc:
        raise _BadFilter(exc) from None


# --------------------------------------------------------------------------- presentation


def report_cell(value, kind: str) -> str:
    """A cell as the page shows it: numbers in the reader's locale, text as it is (only the
    downloads guard against formulas), dates and yes/no as in the export."""
    if value is None:
        return "—"
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
            "bar_chart": charts.bar_chart, "column_chart": charts.column_chart,
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


# --------------------------------------------------------------------------- completion


def _level_tables(level: str, parent_id: int | None, report: reports.ReportFilter) -> dict:
    completion = lambda: reports.completion_rates(level, report, today(), app_timezone(), parent_id)  # noqa: E731
    return {_UNIT_TABLES[level]: lambda: completion().units, "kursus": lambda: completion().courses,
            "tren-mingguan": lambda: completion().trend}


def _render_level(level: str, parent=None, parent_id: int | None = None):
    report = read_filter()
    completion = reports.completion_rates(level, report, today(), app_timezone(), parent_id)
    return render_template("reports/level.html", level=level, parent=parent, parent_id=parent_id,
                           completion=completion, trend=completion.trend, report=report,
                           courses=reports.published_courses(), keep=report.query_args())


@bp.get("/")
@staff_required
def index():
    return _render_level(reports.NATIONAL)


@bp.get("/region/<int:region_id>")
@staff_required
def region(region_id: int):
    found = db.session.get(Region, region_id)
    if found is None:
        abort(404)
    return _render_level(reports.REGION, found, region_id)


def _office_or_404(office_id: int) -> Office | None:
    if office_id == 0:
        return None  # officers without an office
    found = db.session.get(Office, office_id)
    if found is None:
        abort(404)
    return found


@bp.get("/office/<int:office_id>")
@staff_required
def office(office_id: int):
    return _render_level(reports.OFFICE, _office_or_404(office_id), office_id)


def _level_export(level: str, parent_id: int | None, table: str, fmt: str, *parts: str):
    return download(_pick(_level_tables(level, parent_id, read_filter()), table), fmt, *parts)


@bp.get("/export/<table>.<fmt>")
@staff_required
def index_export(table: str, fmt: str):
    return _level_export(reports.NATIONAL, None, table, fmt, "nasional")


@bp.get("/region/<int:region_id>/export/<table>.<fmt>")
@staff_required
def region_export(region_id: int, table: str, fmt: str):
    found = db.session.get(Region, region_id)
    if found is None:
        abort(404)
    return _level_export(reports.REGION, region_id, table, fmt, found.code)


@bp.get("/office/<int:office_id>/export/<table>.<fmt>")
@staff_required
def office_export(office_id: int, table: str, fmt: str):
    found = _office_or_404(office_id)
    return _level_export(reports.OFFICE, office_id, table, fmt,
                         found.code if found else "tanpa-kantor")


# --------------------------------------------------------------------------- one officer


def _officer_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.OFFICER.value:
        abort(404)
    return user


@bp.get("/officer/<int:user_id>")
@staff_required
def officer(user_id: int):
    detail = reports.officer_detail(_officer_or_404(user_id), today())
    manage_url = url_for("admin.person", user_id=user_id) if current_user.is_admin else None
    return render_template("reports/officer.html", detail=detail, manage_url=manage_url)


@bp.get("/officer/<int:user_id>/export/<table>.<fmt>")
@staff_required
def officer_export(user_id: int, table: str, fmt: str):
    user = _officer_or_404(user_id)
    detail = lambda: reports.officer_detail(user, today())  # noqa: E731
    tables = {"kursus-petugas": lambda: detail().courses, "modul": lambda: detail().modules,
              "percobaan-kuis": lambda: detail().attempts}
    return download(_pick(tables, table), fmt, user.nip or user.username)


# --------------------------------------------------------------------------- perlu bantuan


def _help_scope() -> dict:
    region_id, office_id = read_int("region"), read_int("office")
    if region_id is not None and db.session.get(Region, region_id) is None:
        abort(404)
    if office_id and db.session.get(Office, office_id) is None:
        abort(404)
    return {"region_id": region_id, "office_id": office_id}


@bp.get("/help")
@staff_required
def help_list():
    report, scope = read_filter(dates=False), _help_scope()
    days, page = _call(reports.parse_days), _call(reports.parse_page)
    found = reports.officers_needing_help(report, today(), utcnow(), days, page=page,
                                          per_page=HELP_PER_PAGE, **scope)
    table, counts = found.table, found.counts
    if page > 1 and not table.rows:
        abort(404)
    pages = max(1, -(-counts.lines // HELP_PER_PAGE))
    keep = {**report.query_args(), "days": days,
            **{("region" if k == "region_id" else "office"): v
               for k, v in scope.items() if v is not None}}
    return render_template("reports/help.html", table=table, counts=counts, days=days,
                           page=page, pages=pages, keep=keep, report=report, scope=scope,
                           region=db.session.get(Region, scope["region_id"])
                           if scope["region_id"] else None,
                           office=db.session.get(Office, scope["office_id"])
                           if scope["office_id"] else None,
                           courses=reports.published_courses())


@bp.get("/help/export.<fmt>")
@staff_required
def help_export(fmt: str):
    report, scope = read_filter(dates=False), _help_scope()
    days = _call(reports.parse_days)
    return download(reports.officers_needing_help(report, today(), utcnow(), days, page=None,
                                                  **scope).table, fmt)


# --------------------------------------------------------------------------- quizzes


@bp.get("/quizzes")
@staff_required
def quizzes():
    report = read_filter()
    return render_template("reports/quizzes.html", table=_quiz_overview(report), report=report,
                           courses=reports.published_courses())


def _quiz_overview(report: reports.ReportFilter) -> reports.ReportTable:
    start, end = report.bounds(app_timezone())
    return reports.quiz_overview(start, end, report.course_id)


@bp.get("/quizzes/export.<fmt>")
@staff_required
def quizzes_export(fmt: str):
    return download(_quiz_overview(read_filter()), fmt)


def _quiz_analysis(quiz_id: int):
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    report = read_filter()
    choices = reports.quiz_revisions(quiz)
    wanted = read_int("revision")
    chosen = None
    if wanted is not None:
        chosen = next((c for c in choices if c.revision.number == wanted), None)
        if chosen is None:
            abort(404)
    else:
        chosen = next((c for c in choices if c.revision.id == quiz.published_revision_id),
                      choices[0] if choices else None)
    if chosen is None:
        return quiz, report, choices, None, None
    start, end = report.bounds(app_timezone())
    config = current_app.config
    analysis = reports.item_analysis(
        chosen.revision, start=start, end=end,
        threshold=config["ITEM_DISCRIMINATION_THRESHOLD"],
        min_attempts=config["ITEM_ANALYSIS_MIN_ATTEMPTS"])
    return quiz, report, choices, chosen, analysis


@bp.get("/quizzes/<int:quiz_id>")
@staff_required
def quiz(quiz_id: int):
    quiz, report, choices, chosen, analysis = _quiz_analysis(quiz_id)
    studio = "studio.edit_quiz"
    return render_template("reports/quiz.html", quiz=quiz, report=report, choices=choices,
                           chosen=chosen, analysis=analysis, studio=studio,
                           threshold=current_app.config["ITEM_DISCRIMINATION_THRESHOLD"])


@bp.get("/quizzes/<int:quiz_id>/export.<fmt>")
@staff_required
def quiz_export(quiz_id: int, fmt: str):
    quiz, _report, _choices, chosen, analysis = _quiz_analysis(quiz_id)
    if analysis is None:
        abort(404)
    return download(analysis.table, fmt, quiz.slug, f"r{chosen.revision.number}")

