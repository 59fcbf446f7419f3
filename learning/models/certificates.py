"""Certificates earned by completing a course, and the log that makes each reminder go out once."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import UTCDateTime, utcnow


class Certificate(db.Model):
    """Proof that an officer completed a course, as printed on the PDF and signed in its QR code.

    What is printed (name, NIP, office, course title, dates) is copied when the certificate is
    issued, so the document and its signature never change when a name or a title does later.
    A new certificate is issued for each refresher cycle; older ones stay as history.
    """

    __tablename__ = "certificates"
    __table_args__ = (Index("ix_certificates_user_course", "user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # random: PIMPASA-XXXXX-XXXXX
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(160))
    holder_nip: Mapped[str | None] = mapped_column(String(32))
    office_name: Mapped[str] = mapped_column(String(160), default="")
    course_title: Mapped[str] = mapped_column(String(200))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the last module completed
    completed_on: Mapped[date] = mapped_column(Date)  # completed_at's local date: printed, signed
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)  # None: does not lapse
    jp: Mapped[int | None] = mapped_column(Integer)  # the course's JP when issued (printed)
    # When the course was opened again for a refresher (before or at the lapse, or on revocation).
    refresher_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The course completion (and so the set of module revisions) this certificate was earned on.
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("course_completions.id"))

    user = relationship("User", foreign_keys=[user_id])
    course = relationship("Course")
    revoked_by = relationship("User", foreign_keys=[revoked_by_id])

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"


class ReminderLog(db.Model):
    """One reminder to one person: claimed (status "sending") before it is sent, then "sent".

    The unique key (user, topic, stage, period) is what makes a reminder go out once however
    often the job runs: `topic` is "course:<id>" for a course reminder or "summary" for the
    weekly administrator summary (a NULL course would not be unique in SQL), `period_key` is the
    due date of the assignment or the ISO week of a summary.
    """

    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("user_id", "topic", "stage", "period_key", name="uq_reminder_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    topic: Mapped[str] = mapped_column(String(40))
    stage: Mapped[str] = mapped_column(String(24))
    period_key: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16), default="email")
    address: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(12), index=True)  # sending, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(Text, default="")

    user = relationship("User")
    course = relationship("Course")
