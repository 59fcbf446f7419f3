"""Counters of failed sign-ins, shared by every worker and server that uses this database."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from learning.extensions import db
from .base import UTCDateTime


class LoginThrottle(db.Model):
    """One fixed window per key ("account:42", "address:10.0.0.7"): failures counted, window end.

    Used when no Redis is configured (one office, several gunicorn workers): an atomic upsert
    counts each failure exactly once whichever worker received it (learning/throttle.py)."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    window_ends: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
