"""Importing officers from CSV: `nip,full_name,username,email,office_code,role`.

A person is found by NIP, so importing the same file twice changes nothing, and a corrected file
updates the people it names. A blank optional cell (username, email, role) keeps what the account
has; a new account's username defaults to its NIP and its role to officer. Administrators are never
created or changed by an import. Each line is checked on its own and against the others (a NIP or
username repeated in the file is an error on the later line).

`preview_people_csv` reports every line before anything is written. `apply_people_csv` checks the
file again against the database as it is now and writes the lines without errors, in the caller's
transaction: all of them or, if anything fails, none. New accounts get a one-time password each,
returned once so the administrator can hand them over; they must change it at first sign-in.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from learning.accounts import generate_password
from .csv_table import (CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    ImportLine,
    ImportPreview,
    Problem,
    read_csv)
from learning.extensions import db
from learning.models import Office, Role, User, utcnow
from .people import PeopleError, PersonDetails, clean, normalise_nip

PEOPLE_COLUMNS = ("nip", "full_name", "username", "email", "office_code", "role")
ROLE_ALIASES = {"officer": "officer", "petugas": "officer", "pimpasa": "officer",
                "trainer": "trainer", "pelatih": "trainer"}
ADMIN_WORDS = {"admin", "administrator"}
# One-time passwords are 16 random characters from 31 (about 79 bits): guessing one is hopeless
# whatever the hash, so a light hash keeps an import of thousands of people within seconds. The
# person's own password, chosen at first sign-in, gets the full default hash.
ONE_TIME_HASH = "pbkdf2:sha256:1000"
_CHUNK = 500


@dataclass(frozen=True)
class CreatedAccount:
    line: int
    username: str
    full_name: str
    nip: str
    office_code: str
    password: str


@dataclass
class PeopleImportResult:
    preview: ImportPreview
    created: list[CreatedAccount] = field(default_factory=list)
    updated: int = 0


@dataclass
class _Plan:
    line: ImportLine
    details: PersonDetails
    office_id: int | None
    user: User | None  # None: a new account


def _chunks(values: list[str]):
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _existing(nips: set[str], usernames: set[str]) -> tuple[dict[str, User], dict[str, User]]:
    by_nip: dict[str, User] = {}
    by_username: dict[str, User] = {}
    names = sorted(usernames | nips)
    for chunk in _chunks(sorted(nips)):
        for user in db.session.scalars(sa.select(User).where(User.nip.in_(chunk))):
            by_nip[user.nip] = user
    for chunk in _chunks(names):
        for user in db.session.scalars(sa.select(User).where(sa.func.lower(User.username).in_(chunk))):
            by_username[user.username.lower()] = user
    return by_nip, by_username


def _role(text: str, existing: User | None) -> str:
    word = (text or "").strip().lower()
    if not word:
        return existing.role if existing else Role.OFFICER.value
    return ROLE_ALIASES.get(word, word)


def _changes(user: User, details: PersonDetails, office_id: int | None,
             office_codes: dict[int, str]) -> list[Problem]:
    changes = []
    pairs = [("full_name", user.full_name, details.full_name),
             ("username", user.username, details.username),
             ("email", user.email or "", details.email),
             ("office_code", office_codes.get(user.office_id, ""), details.office_code),
             ("role", user.role, details.role)]
    for name, old, new in pairs:
        if (old or "") != (new or ""):
            changes.append(Problem("changed", {"field": name, "old": old or "", "new": new or ""}))
    return changes


def _plan(data: bytes) -> tuple[ImportPreview, list[_Plan]]:
    table = read_csv(data, ("nip", "full_name"), PEOPLE_COLUMNS[2:])
    nips = {normalise_nip(row.get("nip")) for row in table.lines}
    usernames = {row.get("username").strip().lower() for row in table.lines} - {""}
    by_nip, by_username = _existing(nips - {""}, usernames)
    offices = dict(db.session.execute(sa.select(Office.code, Office.id)).all())
    office_codes = {office_id: code for code, office_id in offices.items()}
    seen_nip: dict[str, int] = {}
    seen_username: dict[str, int] = {}
    lines, plans = [], []
    for row in table.lines:
        nip = normalise_nip(row.get("nip"))
        line = ImportLine(number=row.number, label=row.get("nip"))
        lines.append(line)
        existing = by_nip.get(nip) if nip else None
        role = _role(row.get("role"), existing)
        if role in ADMIN_WORDS:
            line.fail("admin_not_importable")
            continue
        details = PersonDetails(
            full_name=row.get("full_name"), nip=nip,
            username=row.get("username") or (existing.username if existing else ""),
            email=row.get("email") or (existing.email or "" if existing else ""),
            office_code=row.get("office_code") or (
                office_codes.get(existing.office_id, "") if existing else ""),
            role=role)
        try:
            details = clean(details)
        except PeopleError as exc:
            line.fail(exc.code, field=exc.field, **exc.params)
            continue
        if not details.nip:
            line.fail("nip_required", field="nip")
            continue
        office_id = None
        if details.office_code:
            office_id = offices.get(details.office_code)
            if office_id is None:
                line.fail("unknown_office", field="office_code", code=details.office_code)
        if details.nip in seen_nip:
            line.fail("nip_repeated", field="nip", line=seen_nip[details.nip])
        seen_nip.setdefault(details.nip, row.number)
        if details.username in seen_username:
            line.fail("username_repeated", field="username", line=seen_username[details.username])
        seen_username.setdefault(details.username, row.number)
        holder = by_username.get(details.username)
        if holder is not None and holder is not existing:
            line.fail("username_taken", field="username")
        nip_as_name = by_username.get(details.nip)
        if nip_as_name is not None and nip_as_name is not existing:
            line.fail("nip_taken", field="nip")
        if existing is not None and existing.is_admin:
            line.fail("is_admin")
        if line.action == ERROR:
            continue
        if existing is None:
            line.action = CREATE
        else:
            line.changes = _changes(existing, details, office_id, office_codes)
            if not existing.active:
                line.changes.append(Problem("inactive"))
            line.action = UPDATE if any(p.code == "changed" for p in line.changes) else UNCHANGED
        plans.append(_Plan(line, details, office_id, existing))
    return ImportPreview(lines=lines, ignored_columns=table.ignored_columns), plans


def preview_people_csv(data: bytes) -> ImportPreview:
    """What importing `data` would do, line by line; writes nothing. CsvFileError for a file that
    cannot be read at all (no header, missing column, too long)."""
    return _plan(data)[0]


def apply_people_csv(data: bytes) -> PeopleImportResult:
    """Write the lines of `data` without errors (checked again now). Adds and flushes; the caller
    commits. New accounts are inserted in bulk."""
    preview, plans = _plan(data)
    result = PeopleImportResult(preview=preview)
    now = utcnow()
    new_rows = []
    for plan in plans:
        details = plan.details
        if plan.user is None:
            password = generate_password()
            new_rows.append({
                "username": details.username, "full_name": details.full_name,
                "nip": details.nip, "email": details.email or None, "role": details.role,
                "office_id": plan.office_id, "active": True,
                "password_hash": generate_password_hash(password, method=ONE_TIME_HASH),
                "must_change_password": True, "data_saver": False, "email_opt_out": False,
                "created_at": now})
            result.created.append(CreatedAccount(plan.line.number, details.username,
                                                 details.full_name, details.nip,
                                                 details.office_code, password))
        elif plan.line.action == UPDATE:
            user = plan.user
            user.full_name, user.username = details.full_name, details.username
            user.email, user.role, user.office_id = details.email or None, details.role, plan.office_id
            result.updated += 1
    for start in range(0, len(new_rows), _CHUNK):
        db.session.execute(sa.insert(User), new_rows[start:start + _CHUNK])
    db.session.flush()
    return result
