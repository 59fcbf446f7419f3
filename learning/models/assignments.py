"""Courses assigned to everyone, a region, an office or one officer, with an optional due date."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import UTCDateTime, utcnow

SCOPES = ("all", "region", "office", "user")


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("scope IN ('all', 'region', 'office', 'user')", name="ck_assignment_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    scope: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    # The time to finish the first officers had (due date minus the local day it was set); an
    # officer who comes under an everyone/region/office assignment later gets as long, or
    # `newcomer_days` when the administrator set it (learning.admin.coverage).
    period_days: Mapped[int | None] = mapped_column(Integer)
    newcomer_days: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the assignment came from when not an administrator's form: "demo" (flask demo).
    origin: Mapped[str | None] = mapped_column(String(16))

    course = relationship("Course")
    region = relationship("Region")
    office = relationship("Office")
    user = relationship("User", foreign_keys=[user_id])
