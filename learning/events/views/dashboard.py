"""What the event pages and the officer's dashboard use in templates: event times in the
organising office's zone, and the officer's upcoming events and JP for the dashboard."""
from __future__ import annotations

from flask_babel import format_date, get_locale
from flask_login import current_user

from learning import clock
from learning.models import utcnow
from .. import evaluation, jp, planning, zones
from ..blueprint import bp


def event_when(event) -> str:
    """"Kamis, 14 Nov 2024 · 09.00–12.00 WITA": date and times on the venue's clock."""
    start = zones.local(event.starts_at, event.timezone)
    day = format_date(start.date(), "EEEE, d MMM y")
    return (f"{day} · {start:%H.%M}–{zones.local(event.ends_at, event.timezone):%H.%M} "
            f"{zones.label(event.timezone)}")


def event_clock(moment, event) -> str:
    return zones.wall_clock(moment, event.timezone) if moment else ""


def dashboard_events() -> dict:
    """Upcoming and recent events of the signed-in officer, and their JP this year."""
    if not current_user.is_authenticated:
        return {"items": [], "to_evaluate": set(), "earned": 0, "target": jp.TARGET, "year": 0}
    year = clock.today().year
    items = planning.officer_events(current_user, utcnow(), past_days=14)
    to_evaluate = {i.event.id for i in items if i.attended and i.event.evaluation
                   and not evaluation.has_evaluated(i.event, current_user)}
    return {"items": items, "to_evaluate": to_evaluate,
            "earned": jp.jp_total(current_user, year), "target": jp.TARGET, "year": year,
            "locale": str(get_locale() or "id")}


@bp.record_once
def _helpers(state):
    state.app.jinja_env.globals.update({"event_when": event_when, "event_clock": event_clock,
                                        "dashboard_events": dashboard_events,
                                        "zone_label": zones.label})
