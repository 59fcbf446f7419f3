"""'Perlu bantuan': officers who have not started or are stuck, and its download."""
from __future__ import annotations

from flask import abort, render_template
from learning import reports
from learning.clock import today
from learning.extensions import db
from learning.models import Office, Region, utcnow
from ..blueprint import bp
from learning.web.access import staff_required
from .common import (HELP_PER_PAGE, _call, download, read_filter, read_int)


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
