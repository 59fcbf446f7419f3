"""The organisation: regions (Kanwil) and their offices (Kantor Imigrasi), and importing both.

Codes are the stable keys (an office is found by its code in people CSV files, in assignments and
in imports), so they are upper-case letters, digits, '.', '_' and '-'. Names may change freely.
A region or office that people or assignments still point at cannot be deleted; rename it or
move its people first. Functions add and flush; the caller commits.

CSV import: `region_code,region_name,office_code,office_name`, one office per line (a line with
only the region columns creates or renames the region alone). `preview_organisation_csv` reports
every line before anything is written; `apply_organisation_csv` writes the lines without errors,
all in the caller's transaction. Importing the same file again changes nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from .csv_table import (CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    ImportLine,
    ImportPreview,
    Problem,
    read_csv)
from learning.extensions import db
from learning.models import Assignment, Office, Region, Role, User

CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")
NAME_MAX = 160
ORG_COLUMNS = ("region_code", "region_name", "office_code", "office_name")


class OrganisationError(ValueError):
    def __init__(self, problem: str, **params):
        super().__init__(problem)
        self.code, self.params = problem, params


def normalise_code(text: str | None) -> str:
    return (text or "").strip().upper()


def _check_code(code: str) -> str:
    code = normalise_code(code)
    if not CODE.fullmatch(code):
        raise OrganisationError("bad_code")
    return code


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationError("name_required")
    if len(name) > NAME_MAX:
        raise OrganisationError("name_too_long", max=NAME_MAX)
    return name


def find_region(code: str) -> Region | None:
    return db.session.scalar(sa.select(Region).where(Region.code == normalise_code(code)))


def find_office(code: str) -> Office | None:
    return db.session.scalar(sa.select(Office).where(Office.code == normalise_code(code)))


# --------------------------------------------------------------------------- regions


def create_region(code: str, name: str) -> Region:
    code, name = _check_code(code), _check_name(name)
    if find_region(code) is not None:
        raise OrganisationError("region_code_taken", code=code)
    region = Region(code=code, name=name)
    db.session.add(region)
    db.session.flush()
    return region


def update_region(region: Region, code: str, name: str) -> Region:
    code, name = _check_code(code), _check_name(name)
    other = find_region(code)
    if other is not None and other.id != region.id:
        raise OrganisationError("region_code_taken", code=code)
    region.code, region.name = code, name
    db.session.flush()
    return region


def delete_region(region: Region) -> None:
    """Only an empty region: no offices, no assignments."""
    if db.session.scalar(sa.select(Office.id).where(Office.region_id == region.id).limit(1)):
        raise OrganisationError("region_has_offices")
    if db.session.scalar(sa.select(Assignment.id).where(Assignment.region_id == region.id).limit(1)):
        raise OrganisationError("region_has_assignments")
    db.session.delete(region)
    db.session.flush()


# --------------------------------------------------------------------------- offices


def create_office(code: str, name: str, region: Region) -> Office:
    code, name = _check_code(code), _check_name(name)
    if find_office(code) is not None:
        raise OrganisationError("office_code_taken", code=code)
    office = Office(code=code, name=name, region=region)
    db.session.add(office)
    db.session.flush()
    return office


def update_office(office: Office, code: str, name: str, region: Region) -> Office:
    code, name = _check_code(code), _check_name(name)
    other = find_office(code)
    if other is not None and other.id != office.id:
        raise OrganisationError("office_code_taken", code=code)
    office.code, office.name, office.region = code, name, region
    db.session.flush()
    return office


def delete_office(office: Office) -> None:
    """Only an office nobody belongs to and nothing is assigned to."""
    if db.session.scalar(sa.select(User.id).where(User.office_id == office.id).limit(1)):
        raise OrganisationError("office_has_people")
    if db.session.scalar(sa.select(Assignment.id).where(Assignment.office_id == office.id).limit(1)):
        raise OrganisationError("office_has_assignments")
    db.session.delete(office)
    db.session.flush()


# --------------------------------------------------------------------------- overview


@dataclass(frozen=True)
class OfficeSummary:
    id: int
    code: str
    name: str
    region_id: int
    region_code: str
    region_name: str
    officers: int  # active officers
    people: int  # every account of the office, active or not


def offices_overview(region_id: int | None = None) -> list[OfficeSummary]:
    """Every office (of one region) with its head counts, from one aggregate query."""
    officer = sa.case((sa.and_(User.role == Role.OFFICER.value, User.active.is_(True)), 1), else_=0)
    query = (sa.select(Office.id, Office.code, Office.name, Region.id, Region.code, Region.name,
                       sa.func.coalesce(sa.func.sum(officer), 0), sa.func.count(User.id))
             .join(Region, Region.id == Office.region_id)
             .outerjoin(User, User.office_id == Office.id)
             .group_by(Office.id, Office.code, Office.name, Region.id, Region.code, Region.name)
             .order_by(Region.name, Office.name))
    if region_id is not None:
        query = query.where(Office.region_id == region_id)
    return [OfficeSummary(*row) for row in db.session.execute(query)]


def regions_overview() -> list[tuple[Region, int]]:
    """Every region with its number of offices (one query)."""
    rows = db.session.execute(
        sa.select(Region, sa.func.count(Office.id)).outerjoin(Office, Office.region_id == Region.id)
        .group_by(Region.id).order_by(Region.name)).all()
    return [(region, count) for region, count in rows]


# --------------------------------------------------------------------------- CSV import


@dataclass
class _Known:
    regions: dict[str, Region]
    offices: dict[str, Office]


def _known() -> _Known:
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    offices = {o.code: o for o in db.session.scalars(sa.select(Office))}
    return _Known(regions, offices)


def _plan(data: bytes) -> tuple[ImportPreview, list[tuple[ImportLine, dict]]]:
    table = read_csv(data, ORG_COLUMNS[:2], ORG_COLUMNS[2:])
    known = _known()
    region_names: dict[str, tuple[str, int]] = {}  # code -> (name, first line) as in the file
    offices_seen: dict[str, int] = {}
    lines: list[ImportLine] = []
    plans: list[tuple[ImportLine, dict]] = []
    for row in table.lines:
        region_code, office_code = normalise_code(row.get("region_code")), \
            normalise_code(row.get("office_code"))
        line = ImportLine(number=row.number, label=office_code or region_code)
        lines.append(line)
        plan: dict = {}
        try:
            region_code = _check_code(region_code)
            region_name = _check_name(row.get("region_name"))
        except OrganisationError as exc:
            line.fail("region_" + exc.code, **exc.params)
            continue
        first = region_names.setdefault(region_code, (region_name, row.number))
        if first[0] != region_name:
            line.fail("region_name_differs", line=first[1])
        region = known.regions.get(region_code)
        if region is None:
            line.changes.append(Problem("region_created", {"code": region_code}))
        elif region.name != region_name:
            line.changes.append(Problem("region_renamed", {"code": region_code,
                                                           "old": region.name}))
        plan["region"] = (region_code, region_name)
        if office_code or row.get("office_name"):
            try:
                office_code = _check_code(office_code)
                office_name = _check_name(row.get("office_name"))
            except OrganisationError as exc:
                line.fail("office_" + exc.code, **exc.params)
                continue
            if office_code in offices_seen:
                line.fail("office_repeated", line=offices_seen[office_code])
            offices_seen.setdefault(office_code, row.number)
            office = known.offices.get(office_code)
            if office is None:
                line.changes.append(Problem("office_created", {"code": office_code}))
            else:
                if office.name != office_name:
                    line.changes.append(Problem("office_renamed", {"code": office_code,
                                                                   "old": office.name}))
                if office.region.code != region_code:
                    line.changes.append(Problem("office_moved", {"code": office_code,
                                                                 "old": office.region.code}))
            plan["office"] = (office_code, office_name)
        if line.action != ERROR:
            line.action = (CREATE if any(p.code.endswith("_created") for p in line.changes)
                           else UPDATE if line.changes else UNCHANGED)
            plans.append((line, plan))
    for line in lines:
        if line.action == ERROR:
            line.changes = []  # a line with an error is skipped: it changes nothing
    return ImportPreview(lines=lines, ignored_columns=table.ignored_columns), plans


def preview_organisation_csv(data: bytes) -> ImportPreview:
    """What importing `data` would do, line by line. Writes nothing. CsvFileError for a file
    that cannot be read at all."""
    return _plan(data)[0]


def apply_organisation_csv(data: bytes) -> ImportPreview:
    """Import the lines of `data` that have no error (validated again against the database as it
    is now). Adds and flushes; the caller commits, so the import is all or nothing."""
    preview, plans = _plan(data)
    regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
    offices = {o.code: o for o in db.session.scalars(sa.select(Office))}
    for _line, plan in plans:
        code, name = plan["region"]
        region = regions.get(code)
        if region is None:
            region = regions[code] = Region(code=code, name=name)
            db.session.add(region)
        elif region.name != name:
            region.name = name
        if "office" in plan:
            code, name = plan["office"]
            office = offices.get(code)
            if office is None:
                office = offices[code] = Office(code=code, name=name, region=region)
                db.session.add(office)
            else:
                office.name, office.region = name, region
    db.session.flush()
    return preview
