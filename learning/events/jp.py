"""Training hours (JP, jam pelajaran of 45 minutes) earned in a year, against the 20 JP every civil
servant must receive (PP 11/2017 as amended by PP 17/2020, Pasal 203 ayat 4).

An officer earns
* a course's JP in the year they complete it (the date on its certificate; a course completed
  twice in one year, after a refresher, counts once; a revoked certificate counts nothing);
* an event's JP in the year it takes place (in its own time zone) when they attended it and,
  where the event has a post-test, passed it.
The JP a certificate printed is the JP counted; certificates issued before courses carried JP
count the course's present value.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from learning.extensions import db
from learning.models import (Certificate, Course, EventAttendance, EventTestAttempt, Office,
                             Region, Role, TrainingEvent, User)
from learning.reports.tables import INT, Column, ReportRow, ReportTable
from . import zones

TARGET = 20


@dataclass(frozen=True)
class JpItem:
    kind: str  # course, event
    title: str
    day: date
    jp: int


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year with a day of margin either side (events are then filtered in their own zone)."""
    start = zones.to_utc(date(year, 1, 1), time(0), "Asia/Jayapura") - timedelta(days=1)
    end = zones.to_utc(date(year + 1, 1, 1), time(0), "Asia/Jakarta") + timedelta(days=1)
    return start, end


def _course_items(year: int, user_ids: list[int] | None) -> dict[int, list[JpItem]]:
    query = (sa.select(Certificate.user_id, Certificate.course_id, Certificate.course_title,
                       Certificate.completed_on, sa.func.coalesce(Certificate.jp, Course.jp))
             .join(Course, Course.id == Certificate.course_id)
             .where(Certificate.revoked_at.is_(None),
                    Certificate.completed_on >= date(year, 1, 1),
                    Certificate.completed_on <= date(year, 12, 31))
             .order_by(Certificate.completed_on, Certificate.id))
    if user_ids is not None:
        query = query.where(Certificate.user_id.in_(user_ids or [0]))
    items: dict[int, list[JpItem]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    for user_id, course_id, title, day, jp in db.session.execute(query):
        if (user_id, course_id) in seen:
            continue
        seen.add((user_id, course_id))
        items[user_id].append(JpItem("course", title, day, int(jp or 0)))
    return items


def _event_items(year: int, user_ids: list[int] | None) -> dict[int, list[JpItem]]:
    start, end = _year_bounds(year)
    passed_post = sa.exists().where(
        EventTestAttempt.event_id == TrainingEvent.id, EventTestAttempt.phase == "post",
        EventTestAttempt.user_id == EventAttendance.user_id, EventTestAttempt.passed.is_(True))
    query = (sa.select(EventAttendance.user_id, TrainingEvent.title, TrainingEvent.starts_at,
                       TrainingEvent.timezone, TrainingEvent.jp)
             .join(TrainingEvent, TrainingEvent.id == EventAttendance.event_id)
             .where(TrainingEvent.cancelled_at.is_(None), TrainingEvent.starts_at >= start,
                    TrainingEvent.starts_at < end,
                    sa.or_(TrainingEvent.post_quiz_id.is_(None), passed_post))
             .order_by(TrainingEvent.starts_at, TrainingEvent.id))
    if user_ids is not None:
        query = query.where(EventAttendance.user_id.in_(user_ids or [0]))
    items: dict[int, list[JpItem]] = defaultdict(list)
    for user_id, title, starts_at, zone, jp in db.session.execute(query):
        day = zones.local(starts_at, zone).date()
        if day.year == year:
            items[user_id].append(JpItem("event", title, day, int(jp or 0)))
    return items


def jp_items(user: User, year: int) -> list[JpItem]:
    """What the officer earned JP for in `year`, in date order."""
    items = _course_items(year, [user.id]).get(user.id, []) + \
        _event_items(year, [user.id]).get(user.id, [])
    return sorted(items, key=lambda item: (item.day, item.kind, item.title))


def event_counts_for(event: TrainingEvent, user: User) -> bool:
    """Whether `user` earns the event's JP: attended, not cancelled, and passed the post-test
    where there is one (the rule `_event_items` applies in SQL)."""
    if event.cancelled_at is not None:
        return False
    attended = db.session.scalar(sa.select(EventAttendance.id).where(
        EventAttendance.event_id == event.id, EventAttendance.user_id == user.id))
    if attended is None:
        return False
    if event.post_quiz_id is None:
        return True
    return bool(db.session.scalar(sa.select(EventTestAttempt.id).where(
        EventTestAttempt.event_id == event.id, EventTestAttempt.user_id == user.id,
        EventTestAttempt.phase == "post", EventTestAttempt.passed.is_(True))))


def jp_total(user: User, year: int) -> int:
    return sum(item.jp for item in jp_items(user, year))


def jp_totals(year: int) -> dict[int, int]:
    """Officer id -> JP earned in `year` (officers with none are absent)."""
    totals: dict[int, int] = defaultdict(int)
    for source in (_course_items(year, None), _event_items(year, None)):
        for user_id, items in source.items():
            totals[user_id] += sum(item.jp for item in items)
    return dict(totals)


@dataclass(frozen=True)
class ShortLine:
    user_id: int
    name: str
    nip: str
    office: str
    region: str
    jp: int

    @property
    def lacking(self) -> int:
        return max(0, TARGET - self.jp)


def below_target(year: int, *, region_id: int | None = None,
                 office_id: int | None = None) -> list[ShortLine]:
    """Active officers with fewer than 20 JP in `year`, by region, office and name."""
    query = (sa.select(User.id, User.full_name, User.nip, Office.name, Region.name)
             .outerjoin(Office, Office.id == User.office_id)
             .outerjoin(Region, Region.id == Office.region_id)
             .where(User.role == Role.OFFICER.value, User.active.is_(True))
             .order_by(Region.name, Office.name, User.full_name, User.id))
    if office_id is not None:
        query = query.where(User.office_id == office_id)
    elif region_id is not None:
        query = query.where(Office.region_id == region_id)
    totals = jp_totals(year)
    lines = []
    for user_id, name, nip, office, region in db.session.execute(query):
        earned = totals.get(user_id, 0)
        if earned < TARGET:
            lines.append(ShortLine(user_id, name, nip or "", office or "", region or "", earned))
    return lines


def below_target_table(year: int, *, region_id: int | None = None,
                       office_id: int | None = None) -> ReportTable:
    """The list as a report table: the page and its CSV / XLSX export are the same call."""
    table = ReportTable(
        name=f"kurang-20-jp-{year}", caption=_l("Petugas dengan kurang dari 20 JP"),
        columns=[Column("region", _l("Kanwil")), Column("office", _l("Kantor")),
                 Column("name", _l("Nama")), Column("nip", _l("NIP")),
                 Column("jp", _l("JP tahun ini"), INT), Column("lacking", _l("Kurang JP"), INT)])
    lines = below_target(year, region_id=region_id, office_id=office_id)
    table.rows = [ReportRow((ln.region, ln.office, ln.name, ln.nip, ln.jp, ln.lacking),
                            link=("officer", ln.user_id)) for ln in lines]
    table.total = ReportRow((str(_l("Jumlah")), "", str(len(lines)), "", None,
                             sum(ln.lacking for ln in lines)))
    return table


def office_summary_table(year: int, *, region_id: int | None = None,
                         office_id: int | None = None) -> ReportTable:
    """Per office: officers, how many are below 20 JP, and the JP they lack together."""
    query = (sa.select(User.id, Office.id, Office.name, Region.name)
             .outerjoin(Office, Office.id == User.office_id)
             .outerjoin(Region, Region.id == Office.region_id)
             .where(User.role == Role.OFFICER.value, User.active.is_(True)))
    if office_id is not None:
        query = query.where(User.office_id == office_id)
    elif region_id is not None:
        query = query.where(Office.region_id == region_id)
    totals = jp_totals(year)
    offices: dict[tuple, list[int]] = {}
    for user_id, oid, office, region in db.session.execute(query):
        counts = offices.setdefault((region or "", office or "", oid), [0, 0, 0])
        earned = totals.get(user_id, 0)
        counts[0] += 1
        if earned < TARGET:
            counts[1] += 1
            counts[2] += TARGET - earned
    table = ReportTable(
        name=f"jp-per-kantor-{year}", caption=_l("Per kantor"),
        columns=[Column("region", _l("Kanwil")), Column("office", _l("Kantor")),
                 Column("officers", _l("Petugas"), INT),
                 Column("below", _l("Kurang dari 20 JP"), INT),
                 Column("lacking", _l("Jumlah JP yang kurang"), INT)])
    for (region, office, oid), (n, below, lacking) in sorted(offices.items(),
                                                            key=lambda kv: kv[0][:2]):
        table.rows.append(ReportRow((region, office, n, below, lacking), link=("office", oid)))
    table.total = ReportRow((str(_l("Jumlah")), "", sum(r.values[2] for r in table.rows),
                             sum(r.values[3] for r in table.rows),
                             sum(r.values[4] for r in table.rows)))
    return table
