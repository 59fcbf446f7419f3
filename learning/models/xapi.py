"""The xAPI outbox: each learning-record statement, written in the transaction of the event it
records and sent to the LRS later (learning.xapi.outbox), exactly once by its statement id."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow

PENDING, SENT, REJECTED = "pending", "sent", "rejected"


class XapiStatement(db.Model):
    """One statement waiting for, or already accepted by, the LRS.

    `statement_id` is a name-based UUID of the event (kind, row, moment), so recording the same
    event again (a backfill, a retried transaction) finds the row already there. `status` is
    pending until the LRS accepts it (sent) or refuses it as invalid (rejected, kept with the
    LRS's answer for a person to look at: never silently dropped)."""

    __tablename__ = "xapi_statements"
    __table_args__ = (Index("ix_xapi_statements_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    verb: Mapped[str] = mapped_column(String(24))
    statement: Mapped[dict] = mapped_column(JSONType)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(36))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
