"""People who use the site, and their server-side sign-in sessions."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from learning.extensions import db
from .base import UTCDateTime, utcnow
from .org import Office


class Role(str, enum.Enum):
    OFFICER = "officer"
    TRAINER = "trainer"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    """An officer (Pimpasa), a trainer or an administrator."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    nip: Mapped[str | None] = mapped_column(String(32), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16), index=True, default=Role.OFFICER.value)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    data_saver: Mapped[bool] = mapped_column(Boolean, default=False)
    email_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the officer came under their current office and region (NULL: since created_at).
    # Office- and region-wide assignments count an officer's own time to finish from these
    # (learning.admin.tenure keeps them; learning.admin.coverage reads them).
    office_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    region_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office: Mapped[Office | None] = relationship()

    # Set by the session loader: the token of the sign-in session this request runs under.
    session_token = None  # type: str | None

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str | None:  # Flask-Login keeps the session token, never the user id
        return self.session_token

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {r.value if isinstance(r, Role) else r for r in roles}

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER.value

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.TRAINER.value, Role.ADMIN.value)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class LoginSession(db.Model):
    """One signed-in browser. The cookie holds a random token; this row holds its SHA-256.

    Deleting the row ends the session, whatever copy of the cookie exists.
    """

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()
