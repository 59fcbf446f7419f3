"""Completion at national, region and office level, and one officer's detail, with their downloads."""
from __future__ import annotations

from dataclasses import dataclass
from flask import abort, render_template, url_for
from flask_login import current_user
from flask_babel import gettext as _
from learning import reports
from learning.clock import app_timezone, today
from learning.extensions import db
from learning.models import Office, Region, Role, User
from ..blueprint import bp
from learning.web.access import staff_required
from .common import (_UNIT_TABLES, _pick, download, read_filter)


# --------------------------------------------------------------------------- completion


def _level_tables(level: str, parent_id: int | None, report: reports.ReportFilter) -> dict:
    completion = lambda: reports.completion_rates(level, report, today(), app_timezone(), parent_id)  # noqa: E731
    return {_UNIT_TABLES[level]: lambda: completion().units, "kursus": lambda: completion().courses,
            "tren-mingguan": lambda: completion().trend}


@dataclass(frozen=True)
class LevelPage:
    """What the level page shows about where it is: heading, its own URL and export endpoint,
    the scope of its 'perlu bantuan' link and of its downloads, and the unit table's name."""

    heading: str
    here: dict  # the URL arguments of this level (region_id / office_id)
    here_url: str
    export_endpoint: str
    help_scope: dict
    unit_table: str


def _level_page(level: str, parent, parent_id: int | None) -> LevelPage:
    if level == reports.REGION:
        return LevelPage(parent.name, {"region_id": parent_id},
                         url_for("reports.region", region_id=parent_id), "reports.region_export",
                         {"region": parent_id}, _UNIT_TABLES[level])
    if level == reports.OFFICE:
        return LevelPage(parent.name if parent else _("Petugas tanpa kantor"),
                         {"office_id": parent_id}, url_for("reports.office", office_id=parent_id),
                         "reports.office_export", {"office": parent_id} if parent_id else {},
                         _UNIT_TABLES[level])
    return LevelPage(_("Laporan penyelesaian nasional"), {}, url_for("reports.index"),
                     "reports.index_export", {}, _UNIT_TABLES[level])


def _render_level(level: str, parent=None, parent_id: int | None = None):
    report = read_filter()
    completion = reports.completion_rates(level, report, today(), app_timezone(), parent_id)
    return render_template("reports/level.html", level=level, parent=parent, parent_id=parent_id,
                           page=_level_page(level, parent, parent_id), completion=completion,
                           trend=completion.trend, report=report,
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
