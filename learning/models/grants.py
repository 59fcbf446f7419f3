"""Second chances: extra attempts or extra minutes on one quiz for one officer."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import UTCDateTime, utcnow


class QuizGrant(db.Model):
    """One grant, only ever added: attempts and minutes of every grant for an officer add up."""

    __tablename__ = "quiz_grants"
    __table_args__ = (Index("ix_quiz_grants_user_quiz", "user_id", "quiz_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str] = mapped_column(String(500))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    quiz = relationship("Quiz")
    granted_by = relationship("User", foreign_keys=[granted_by_id])
