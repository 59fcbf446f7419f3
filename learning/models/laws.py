"""The register of laws, the law changes trainers record, the review tasks a change opens, and the
certificates a change marks for renewal."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, Date, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow

IN_FORCE, AMENDED, REPLACED, REVOKED = "berlaku", "diubah", "diganti", "dicabut"
LAW_STATUSES = (IN_FORCE, AMENDED, REPLACED, REVOKED)


class Law(db.Model):
    """One legal instrument (UU 21/2007, Perpres 165/2024, a circular, a treaty).

    `key` is the identity every citation resolves to ("uu-21-2007"); `citation` is its short form
    as the curriculum writes it ("UU 21/2007"). `file_text` is the Markdown last imported from
    laws/, so an import can tell a studio edit from an unchanged row and never overwrite it.
    """

    __tablename__ = "laws"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    citation: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    enacted: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=IN_FORCE)
    amended_by: Mapped[list] = mapped_column(JSONType, default=list)
    replaced_by: Mapped[str] = mapped_column(String(200), default="")
    source_url: Mapped[str] = mapped_column(String(500), default="")
    checked: Mapped[date | None] = mapped_column(Date)
    aliases: Mapped[list] = mapped_column(JSONType, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    notes_html: Mapped[str] = mapped_column(Text, default="")
    file_text: Mapped[str] = mapped_column(Text, default="")
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    edited_by = relationship("User")


class LawChange(db.Model):
    """"UU X Pasal Y changed on DATE (by UU Z): what changed", as a trainer recorded it."""

    __tablename__ = "law_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("laws.id"), index=True)
    article: Mapped[str] = mapped_column(String(120), default="")  # "" = the whole law
    changed_on: Mapped[date] = mapped_column(Date)
    changed_by: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    law: Mapped[Law] = relationship()
    recorded_by = relationship("User")
    reviews: Mapped[list["LawReview"]] = relationship(
        back_populates="change", order_by="LawReview.id")


class LawReview(db.Model):
    """A review task a change opened for one module or one quiz; open until a trainer closes it
    with a publish or with "reviewed, no change needed" and a note."""

    __tablename__ = "law_reviews"
    __table_args__ = (Index("ix_law_reviews_open_module", "module_id", "closed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("law_changes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # "module" or "quiz"
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id"))
    questions: Mapped[list] = mapped_column(JSONType, default=list)  # slugs citing the law
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(16), default="")  # "published", "no_change"
    revision_number: Mapped[int | None] = mapped_column(Integer)
    recertify: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    change: Mapped[LawChange] = relationship(back_populates="reviews")
    module = relationship("Module")
    quiz = relationship("Quiz")
    closed_by = relationship("User")


class CertificateRenewal(db.Model):
    """A certificate a law change made due for renewal (the trainer chose recertification)."""

    __tablename__ = "certificate_renewals"
    __table_args__ = (UniqueConstraint("certificate_id", "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("law_changes.id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("law_reviews.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certificate = relationship("Certificate")
    change: Mapped[LawChange] = relationship()
