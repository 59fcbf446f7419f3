"""Course completions: the raw record that an officer finished a course, and on which modules.

A row is written when the officer completes the last live module of a course
(learning.learner.completions). It stays *open* while it counts: adding a module or publishing a
substantive change does not close it (the officer keeps "Selesai" and sees the new material). It
is closed only by a newer completion of the same course ("renewed"), by a refresher cycle
("refresher") or when a trainer requires recertification at publish ("recertification").
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow


class CourseCompletion(db.Model):
    __tablename__ = "course_completions"
    __table_args__ = (Index("ix_course_completions_user_course", "user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # {"<module id>": <published revision id>} of the live modules at completion: the version.
    revisions: Mapped[dict] = mapped_column(JSONType, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_reason: Mapped[str | None] = mapped_column(String(24))
