"""Quizzes and their versioned revisions (questions with the answer key, stored as JSON)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz_revisions.id", use_alter=True, name="fk_quiz_published_revision")
    )

    module = relationship("Module", back_populates="quiz")
    published_revision: Mapped["QuizRevision | None"] = relationship(
        foreign_keys=[published_revision_id], post_update=True
    )


class QuizRevision(db.Model):
    """One saved version of a quiz. Attempts point at the revision they were taken on."""

    __tablename__ = "quiz_revisions"
    __table_args__ = (UniqueConstraint("quiz_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    pass_mark: Mapped[int] = mapped_column(Integer, default=70)
    max_attempts: Mapped[int] = mapped_column(Integer, default=0)
    draw: Mapped[int | None] = mapped_column(Integer)
    shuffle: Mapped[bool] = mapped_column(Boolean, default=True)
    time_limit: Mapped[int] = mapped_column(Integer, default=0)
    # What a failed attempt shows while attempts remain (learning.content.quiz_review).
    review: Mapped[str] = mapped_column(String(16), default="topics", server_default="topics")
    questions: Mapped[list] = mapped_column(JSONType)  # Question.to_dict() plus rendered HTML
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "file" (shipped curriculum, with the file's SHA-256) or "studio" (see ModuleRevision).
    origin: Mapped[str] = mapped_column(String(8), default="studio", server_default="studio")
    file_sha256: Mapped[str | None] = mapped_column(String(64))

    quiz: Mapped[Quiz] = relationship(foreign_keys=[quiz_id])
    author = relationship("User")
