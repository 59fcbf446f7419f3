"""Reports: an event's attendance, learning gain and evaluation; officers below 20 JP with their
export; the yearly JP recap PDF."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_login import current_user, login_required

from learning import clock
from learning.extensions import db
from learning.models import Office, Region, User
from learning.web.access import staff_required
from .. import evaluation, event_tests, jp, roster
from ..blueprint import bp
from ..forms import BelowTargetFilter
from ..recap import recap_pdf
from .common import download, event_or_404, table_download


@bp.get("/events/<int:event_id>/report", endpoint="report")
@staff_required
def report(event_id: int):
    event = event_or_404(event_id)
    present, invited = roster.attendance_counts(event)
    lines = event_tests.gain_lines(event)
    return render_template(
        "events/report.html", event=event, present=present, invited=invited, lines=lines,
        means=event_tests.mean_gain(lines), offices=event_tests.office_gains(lines),
        questions=event_tests.question_gains(event)[:10],
        evaluation=evaluation.summary(event), min_answers=evaluation.MIN_ANSWERS)


@bp.get("/events/<int:event_id>/report.<fmt>", endpoint="report_export")
@staff_required
def report_export(event_id: int, fmt: str):
    return table_download(event_tests.gain_table(event_or_404(event_id)), fmt)


@bp.get("/events/jp/below", endpoint="below")
@staff_required
def below():
    form = BelowTargetFilter(request.args)
    form.region_id.choices = [(None, "—")] + [tuple(r) for r in db.session.execute(
        sa.select(Region.id, Region.name).order_by(Region.name))]
    form.office_id.choices = [(None, "—")] + [tuple(r) for r in db.session.execute(
        sa.select(Office.id, Office.name).order_by(Office.name))]
    valid = form.validate()
    year = form.year.data if valid and form.year.data else clock.today().year
    region_id = form.region_id.data if valid else None
    office_id = form.office_id.data if valid else None
    table = jp.below_target_table(year, region_id=region_id, office_id=office_id)
    summary = jp.office_summary_table(year, region_id=region_id, office_id=office_id)
    fmt = request.args.get("format")
    if fmt:
        chosen = summary if request.args.get("table") == "per-kantor" else table
        return table_download(chosen, fmt, str(region_id or ""), str(office_id or ""))
    form.year.data = year
    return render_template("events/below.html", form=form, table=table, summary=summary,
                           year=year,
                           target=jp.TARGET, args={k: v for k, v in request.args.items()
                                                   if k in ("year", "region_id", "office_id")})


@bp.get("/events/jp/recap-<int:year>.pdf", endpoint="my_recap")
@login_required
def my_recap(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    return _recap(current_user, year)


@bp.get("/events/jp/<int:user_id>/recap-<int:year>.pdf", endpoint="recap")
@staff_required
def officer_recap(user_id: int, year: int):
    user = db.session.get(User, user_id)
    if user is None or not 2000 <= year <= 2100:
        abort(404)
    return _recap(user, year)


def _recap(user: User, year: int):
    body = recap_pdf(user, year, jp.jp_items(user, year), clock.today())
    return download(body, "application/pdf", f"rekap-jp-{year}-{user.nip or user.id}.pdf")
