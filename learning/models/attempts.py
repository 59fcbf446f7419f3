"""Quiz attempts and the answers saved in them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow

OPEN, SUBMITTED = "open", "submitted"


class Attempt(db.Model):
    """One officer's try at a quiz, pinned to the exact quiz revision it was started on.

    `draw` holds what the server drew when the attempt started: the question slugs in the order
    shown and, per question, the order of its options / right-hand items / ordering items.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        Index("ix_attempts_quiz_submitted", "quiz_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    quiz_revision_id: Mapped[int] = mapped_column(ForeignKey("quiz_revisions.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    draw: Mapped[list] = mapped_column(JSONType)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[int | None] = mapped_column(Integer)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    user = relationship("User")
    quiz = relationship("Quiz")
    revision = relationship("QuizRevision")
    answers: Mapped[list["AttemptAnswer"]] = relationship(back_populates="attempt",
                                                          order_by="AttemptAnswer.id")


class AttemptAnswer(db.Model):
    """The officer's response to one question, in canonical indices (see learning.quizzes.grading)."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    question_slug: Mapped[str] = mapped_column(String(120))
    response: Mapped[object | None] = mapped_column(JSONType)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    points: Mapped[float | None] = mapped_column(Float)
    correct: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class KeptAnswers(db.Model):
    """Answers that arrived for an open attempt after its owner's sign-in session had expired
    (learning.quizzes.views.rescue). Kept on the server, keyed to the attempt, until the owner
    opens the attempt again; a browser cookie is too small for a page of long answers."""

    __tablename__ = "kept_answers"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"),
                                            primary_key=True)
    fields: Mapped[dict] = mapped_column(JSONType)  # answer field name -> list of values
    complete: Mapped[bool] = mapped_column(Boolean, default=False)  # a whole page, not an autosave
    submit: Mapped[bool] = mapped_column(Boolean, default=False)  # the officer pressed "Kirim"
    kept_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
