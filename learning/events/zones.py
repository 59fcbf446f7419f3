"""Indonesia's three time zones, and event times read and printed in the organising office's.

Times are stored in UTC. A session at 09.00 in Batulicin (WITA) is 01.00 UTC; an officer in
Jakarta reads "09.00 WITA" on its page, the time on the venue's clock, with the zone named.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from learning import clock

ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
BY_LABEL = {label: name for name, label in ZONES.items()}


def zone_name(value: str | None) -> str:
    """An IANA name from a zone name or a label (WIB, WITA, WIT); the app's zone otherwise."""
    if value in ZONES:
        return value
    if value and value.upper() in BY_LABEL:
        return BY_LABEL[value.upper()]
    return clock.app_timezone()


def label(zone: str) -> str:
    """WIB, WITA or WIT; the IANA name for any other zone."""
    return ZONES.get(zone, zone)


def to_utc(day: date, at: time, zone: str) -> datetime:
    """The UTC moment of a wall-clock time in `zone`."""
    return datetime.combine(day, at, ZoneInfo(zone)).astimezone(timezone.utc)


def local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def wall_clock(moment: datetime, zone: str) -> str:
    """"14.00 WITA": the time as the venue's clock shows it (Indonesian style, with the zone)."""
    return f"{local(moment, zone):%H.%M} {label(zone)}"


def office_zone(office) -> str:
    """The zone an office works in."""
    return zone_name(getattr(office, "timezone", None))
