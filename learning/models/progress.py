"""How far each officer is in each module."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import UTCDateTime, utcnow


class ModuleProgress(db.Model):
    __tablename__ = "module_progress"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    seconds_spent: Mapped[int] = mapped_column(Integer, default=0)
    scroll_position: Mapped[float] = mapped_column(Float, default=0.0)
    # Set when a substantive new revision was published after the officer completed the module.
    updated_since_completion: Mapped[bool] = mapped_column(default=False)
    # When the module was last handed back (refresher or substantive update): quiz attempts started
    # before it belong to the previous cycle and no longer count against max_attempts.
    cycle_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module = relationship("Module")
    user = relationship("User")

    @hybrid_property
    def is_done(self) -> bool:
        """Completed, and not handed back since by a substantive update or a refresher."""
        return self.completed_at is not None and not self.updated_since_completion

    @is_done.inplace.expression
    @classmethod
    def _is_done_expression(cls):
        return sa.and_(cls.completed_at.is_not(None), cls.updated_since_completion.is_(False))


class ProgressEvent(db.Model):
    """A progress event sent from a device, kept by its client-generated id so a resend counts once."""

    __tablename__ = "progress_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    kind: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the server made of it (learning.learner.reading_time): the reading time it claimed
    # (the gap since the module's previous event, up to the idle cap), how much of that was
    # credited and the reason for the rest ("ok", "future", "before_account", "overlap", "idle",
    # "day_cap", "day_span").
    verdict: Mapped[str] = mapped_column(String(16), default="ok", server_default="ok")
    credited_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refused_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReadingDay(db.Model):
    """Reading time of one officer on one module on one local day: what was credited, what was
    refused, and the first and last event the time was counted between. The cap per day and the
    wall-clock bound are checked against this row (learning.learner.reading_time)."""

    __tablename__ = "reading_days"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    credited_seconds: Mapped[int] = mapped_column(Integer, default=0)
    refused_seconds: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
