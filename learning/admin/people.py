"""People: administrators create, edit, deactivate and reactivate accounts, reset passwords, and
import officers in bulk from CSV.

Deactivated accounts keep all their history (progress, attempts, certificates) but cannot sign in:
deactivating ends every open session at once. A password reset gives a one-time password that
must be changed at the next sign-in, and also ends the account's sessions. An administrator cannot
deactivate or demote themself, and the last active administrator cannot be demoted or
deactivated, so the site always keeps someone who can manage it.

Functions add and flush; the caller commits. Rule violations raise PeopleError(field, code).
The CSV import lives in people_import.py (re-exported here).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from learning.accounts import NewUser, create_user, end_all_sessions, generate_password
from learning.extensions import db
from learning.models import Office, Region, Role, User
from .organisation import normalise_code

NIP = re.compile(r"\d{18}")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NAME_MAX, EMAIL_MAX = 160, 254
ROLES = tuple(r.value for r in Role)


class PeopleError(ValueError):
    """`field` is the form field the problem belongs to (None: the whole request)."""

    def __init__(self, field: str | None, problem: str, **params):
        super().__init__(problem)
        self.field, self.code, self.params = field, problem, params


@dataclass
class PersonDetails:
    """What an administrator types about a person (plain text, checked by `clean`)."""

    full_name: str
    username: str = ""
    nip: str = ""
    email: str = ""
    office_code: str = ""
    role: str = Role.OFFICER.value


def normalise_nip(text: str | None) -> str:
    """NIPs are often written in groups ("19850101 201001 1 001"): keep the digits together."""
    return re.sub(r"[\s.]", "", text or "")


def clean(details: PersonDetails) -> PersonDetails:
    """The details normalised and checked on their own (uniqueness is checked separately)."""
    full_name = " ".join((details.full_name or "").split())
    if not full_name:
        raise PeopleError("full_name", "name_required")
    if len(full_name) > NAME_MAX:
        raise PeopleError("full_name", "name_too_long", max=NAME_MAX)
    nip = normalise_nip(details.nip)
    if nip and not NIP.fullmatch(nip):
        raise PeopleError("nip", "bad_nip_scientific" if "E+" in nip.upper() else "bad_nip")
    role = (details.role or Role.OFFICER.value).strip().lower()
    if role not in ROLES:
        raise PeopleError("role", "bad_role")
    username = (details.username or "").strip().lower() or nip
    if not username and role == Role.OFFICER.value:
        raise PeopleError("nip", "nip_required")  # an officer's username defaults to the NIP
    if not USERNAME.fullmatch(username):
        raise PeopleError("username", "bad_username")
    email = (details.email or "").strip()
    if email and (len(email) > EMAIL_MAX or not EMAIL.fullmatch(email)):
        raise PeopleError("email", "bad_email")
    office_code = normalise_code(details.office_code)
    if role == Role.OFFICER.value and not office_code:
        raise PeopleError("office_code", "office_required")
    return PersonDetails(full_name=full_name, username=username, nip=nip, email=email,
                         office_code=office_code, role=role)


def _office(code: str) -> Office | None:
    if not code:
        return None
    office = db.session.scalar(sa.select(Office).where(Office.code == code))
    if office is None:
        raise PeopleError("office_code", "unknown_office", code=code)
    return office


def _check_unique(details: PersonDetails, user: User | None) -> None:
    own = user.id if user is not None else -1
    taken = db.session.scalar(sa.select(User.id).where(
        sa.func.lower(User.username) == details.username, User.id != own).limit(1))
    if taken is not None:
        raise PeopleError("username", "username_taken")
    if details.nip:
        taken = db.session.scalar(sa.select(User.id).where(
            sa.or_(User.nip == details.nip, sa.func.lower(User.username) == details.nip),
            User.id != own).limit(1))
        if taken is not None:
            raise PeopleError("nip", "nip_taken")


def _active_admins() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.role == Role.ADMIN.value, User.active.is_(True))) or 0


@dataclass(frozen=True)
class NewPerson:
    user: User
    password: str  # the one-time password, shown once to the administrator


def create_person(details: PersonDetails) -> NewPerson:
    """A new active account with a one-time password that must be changed at first sign-in.
    Officers need a NIP (their key in CSV imports and certificates); others may have none."""
    details = clean(details)
    if details.role == Role.OFFICER.value and not details.nip:
        raise PeopleError("nip", "nip_required")
    _check_unique(details, None)
    office = _office(details.office_code)
    password = generate_password()
    user = create_user(NewUser(username=details.username, full_name=details.full_name,
                               role=details.role, nip=details.nip or None,
                               email=details.email or None,
                               office_code=office.code if office else None),
                       password, must_change_password=True)
    return NewPerson(user, password)


def update_person(user: User, details: PersonDetails, actor: User) -> list[str]:
    """Change a person's details; returns the names of the fields that changed."""
    details = clean(details)
    _check_unique(details, user)
    office = _office(details.office_code)
    if user.is_admin and details.role != Role.ADMIN.value:
        if user.id == actor.id:
            raise PeopleError("role", "cannot_demote_self")
        if user.active and _active_admins() <= 1:
            raise PeopleError("role", "last_admin")
    new = {"full_name": details.full_name, "username": details.username,
           "nip": details.nip or None, "email": details.email or None,
           "office_id": office.id if office else None, "role": details.role}
    changed = [name for name, value in new.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, new[name])
    if "office_id" in changed:
        user.office = office
    db.session.flush()
    return changed


def deactivate(user: User, actor: User) -> int:
    """The person can no longer sign in; their history stays. Ends their sessions (returns how
    many were open)."""
    if user.id == actor.id:
        raise PeopleError(None, "cannot_deactivate_self")
    if user.is_admin and user.active and _active_admins() <= 1:
        raise PeopleError(None, "last_admin")
    user.active = False
    ended = end_all_sessions(user)
    db.session.flush()
    return ended


def reactivate(user: User) -> None:
    user.active = True
    db.session.flush()


def reset_password(user: User, actor: User | None) -> str:
    """A new one-time password (returned, to be handed over once) that must be changed at the
    next sign-in. The old password stops working and every session of the account ends.
    `actor` is the administrator doing it (None: the server's console)."""
    if actor is not None and user.id == actor.id:
        raise PeopleError(None, "reset_own_password")
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    end_all_sessions(user)
    db.session.flush()
    return password


# --------------------------------------------------------------------------- finding people


@dataclass(frozen=True)
class PeopleQuery:
    text: str = ""
    role: str = ""
    region_id: int | None = None
    office_id: int | None = None
    status: str = ""  # "", "active" or "inactive"


@dataclass(frozen=True)
class PersonRow:
    id: int
    username: str
    full_name: str
    nip: str | None
    email: str | None
    role: str
    active: bool
    must_change_password: bool
    office_code: str | None
    office_name: str | None
    region_name: str | None


@dataclass(frozen=True)
class PeoplePage:
    rows: list[PersonRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find_people(query: PeopleQuery, page: int = 1, per_page: int = 50) -> PeoplePage:
    """One page of people matching the query (name, username or NIP), sorted by name: two
    queries whatever the number of people."""
    conditions = []
    text = (query.text or "").strip().lower()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        conditions.append(sa.or_(sa.func.lower(User.full_name).like(like),
                                 sa.func.lower(User.username).like(like),
                                 User.nip.like(like)))
    if query.role:
        conditions.append(User.role == query.role)
    if query.office_id:
        conditions.append(User.office_id == query.office_id)
    if query.region_id:
        conditions.append(Office.region_id == query.region_id)
    if query.status == "active":
        conditions.append(User.active.is_(True))
    elif query.status == "inactive":
        conditions.append(User.active.is_(False))
    base = (sa.select(User.id).outerjoin(Office, Office.id == User.office_id)
            .where(*conditions))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    page = max(1, min(page, max(1, -(-total // per_page))))
    rows = db.session.execute(
        sa.select(User.id, User.username, User.full_name, User.nip, User.email, User.role,
                  User.active, User.must_change_password, Office.code, Office.name, Region.name)
        .outerjoin(Office, Office.id == User.office_id)
        .outerjoin(Region, Region.id == Office.region_id)
        .where(*conditions).order_by(User.full_name, User.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return PeoplePage([PersonRow(*row) for row in rows], total, page, per_page)

