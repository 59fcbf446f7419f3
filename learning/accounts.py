"""Accounts: creating users, checking passwords, and server-side sign-in sessions."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa

from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .models import LoginSession, Office, Role, User, utcnow
from .passwords import MIN_PASSWORD_LENGTH, password_problem

__all__ = ["MIN_PASSWORD_LENGTH"]


class AccountError(ValueError):
    """A rule about accounts was broken; the message is shown to the user (translated)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(8))


def find_user_for_login(identifier: str) -> User | None:
    """The user whose username or NIP is `identifier` (case-insensitive username)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return db.session.scalar(
        sa.select(User).where(sa.or_(sa.func.lower(User.username) == identifier.lower(),
                                     User.nip == identifier))
    )


def authenticate(identifier: str, password: str) -> User | None:
    """The active user with these credentials, or None. Always spends one hash on a miss too."""
    user = find_user_for_login(identifier)
    if user is None:
        check_password_hash(_dummy_hash(), password or "")  # spend the same time on a miss
        return None
    if not user.active or not user.check_password(password):
        return None
    return user


def start_session(user: User, lifetime: timedelta, user_agent: str = "") -> str:
    """Create a server-side session for `user` and return its secret token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(LoginSession(id=token_digest(token), user_id=user.id, created_at=now,
                                expires_at=now + lifetime, user_agent=(user_agent or "")[:200]))
    db.session.flush()
    user.session_token = token
    return token


def user_for_session(token: str) -> User | None:
    """The user of a live session token, or None when it is unknown, expired or deactivated."""
    if not token:
        return None
    row = db.session.get(LoginSession, token_digest(token))
    if row is None or row.expires_at <= utcnow():
        return None
    user = row.user
    if not user.active:
        return None
    user.session_token = token
    return user


def end_all_sessions(user: User) -> int:
    """End every session of `user` (sign-out, password change, deactivation)."""
    result = db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    return result.rowcount or 0


def account_words(user: User | None = None, *, username: str = "", nip: str | None = None,
                  full_name: str = "", office_code: str | None = None) -> list[str]:
    """The words of an account a password must not rest on: username, NIP, name, office code."""
    if user is not None:
        username, nip, full_name = user.username, user.nip, user.full_name
        office_code = user.office.code if user.office is not None else None
    return [word for word in (username, nip, full_name, office_code) if word]


def check_new_password(password: str, user: User | None = None,
                       words: list[str] | None = None) -> None:
    """Raise AccountError("too_short" | "same_as_account" | "common") for a password that may not
    be set; `words` are the account's own words when `user` does not exist yet."""
    problem = password_problem(password, account_words(user) if user is not None else words or [])
    if problem is not None:
        raise AccountError(problem)


def change_password(user: User, new_password: str) -> None:
    check_new_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    end_all_sessions(user)


def generate_password() -> str:
    """A random password that is easy to type on a phone: 4 groups of 4 letters/digits."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    while True:  # a random draw that happens to spell a common word is drawn again
        password = "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
        if password_problem(password) is None:
            return password


@dataclass
class NewUser:
    username: str
    full_name: str
    role: str = Role.OFFICER.value
    nip: str | None = None
    email: str | None = None
    office_code: str | None = None


def create_user(data: NewUser, password: str, must_change_password: bool = False) -> User:
    """Add a user after checking the username, NIP, role and office. Adds and flushes."""
    if data.role not in {r.value for r in Role}:
        raise AccountError("bad_role")
    username = data.username.strip()
    if not username or len(username) > 64:
        raise AccountError("bad_username")
    if find_user_for_login(username) is not None:
        raise AccountError("username_taken")
    if data.nip and db.session.scalar(sa.select(User.id).where(User.nip == data.nip)):
        raise AccountError("nip_taken")
    office = None
    if data.office_code:
        office = db.session.scalar(sa.select(Office).where(Office.code == data.office_code))
        if office is None:
            raise AccountError("unknown_office")
    check_new_password(password, words=account_words(
        username=username, nip=data.nip, full_name=data.full_name, office_code=data.office_code))
    user = User(username=username, full_name=data.full_name.strip(), role=data.role,
                nip=(data.nip or None), email=(data.email or None), office=office,
                must_change_password=must_change_password)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def ensure_first_admin() -> str | None:
    """When no administrator exists, create `admin` with a random password and return it."""
    exists = db.session.scalar(sa.select(User.id).where(User.role == Role.ADMIN.value).limit(1))
    if exists:
        return None
    password = generate_password()
    username = "admin"
    while find_user_for_login(username) is not None:
        username = f"admin{secrets.randbelow(1000)}"
    create_user(NewUser(username=username, full_name="Administrator", role=Role.ADMIN.value),
                password, must_change_password=True)
    return f"{username}:{password}"
