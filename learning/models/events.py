"""Blended training: face-to-face events, who was invited and who attended, the pre- and
post-test taken at an event, and the participants' anonymous evaluation."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow


class TrainingEvent(db.Model):
    """A face-to-face session ("klasikal"). Times are stored in UTC; `timezone` is the IANA zone
    of the organising office (Asia/Jakarta = WIB, Asia/Makassar = WITA, Asia/Jayapura = WIT), in
    which every page prints them."""

    __tablename__ = "training_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")
    place: Mapped[str] = mapped_column(String(200), default="")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    jp: Mapped[int] = mapped_column(Integer, default=0)
    pre_quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id"))
    post_quiz_id: Mapped[int | None] = mapped_column(ForeignKey("quizzes.id"))
    # [{"key": "materi", "text": "...", "kind": "likert" | "open", "speaker": index or None}]
    evaluation: Mapped[list] = mapped_column(JSONType, default=list)
    qr_key: Mapped[str] = mapped_column(String(64))  # per-event secret mixed into the QR signature
    origin: Mapped[str | None] = mapped_column(String(16))  # "demo" for `flask demo` data
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    office = relationship("Office")
    pre_quiz = relationship("Quiz", foreign_keys=[pre_quiz_id])
    post_quiz = relationship("Quiz", foreign_keys=[post_quiz_id])
    speakers: Mapped[list["EventSpeaker"]] = relationship(
        order_by="EventSpeaker.position", cascade="all, delete-orphan")
    courses = relationship("Course", secondary="event_courses", order_by="Course.position")


class EventSpeaker(db.Model):
    __tablename__ = "event_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(160))
    institution: Mapped[str] = mapped_column(String(200), default="")


class EventCourse(db.Model):
    """A course or module linked to an event (read before or after the session)."""

    __tablename__ = "event_courses"

    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), primary_key=True)


class EventInvite(db.Model):
    """One invited officer. Invitations by office or region are resolved to officers when made,
    so the attendance ratio's denominator never shifts under a report."""

    __tablename__ = "event_invites"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_event_invite"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


class EventAttendance(db.Model):
    """One officer present at one event: the UNIQUE key is what makes attendance count once."""

    __tablename__ = "event_attendance"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_event_attendance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)  # when scanned (or ticked)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(16))  # qr, qr_queued, organiser
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])


class EventTestAttempt(db.Model):
    """The pre-test or the post-test of one officer at one event, drawn from the quiz's
    published revision when started (pre and post are drawn separately from the same bank)."""

    __tablename__ = "event_test_attempts"
    __table_args__ = (UniqueConstraint("event_id", "user_id", "phase", name="uq_event_test"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    phase: Mapped[str] = mapped_column(String(8))  # pre, post
    quiz_revision_id: Mapped[int] = mapped_column(ForeignKey("quiz_revisions.id"))
    draw: Mapped[list] = mapped_column(JSONType)
    correct: Mapped[dict] = mapped_column(JSONType, default=dict)  # slug -> bool, once graded
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    revision = relationship("QuizRevision")
    user = relationship("User")


class EventEvaluationReceipt(db.Model):
    """That an officer has evaluated an event (so they evaluate once), kept apart from what they
    answered: the answers carry no officer, no time and no sequential id."""

    __tablename__ = "event_evaluation_receipts"
    __table_args__ = (UniqueConstraint("event_id", "user_id", name="uq_event_evaluation_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class EventEvaluationAnswer(db.Model):
    __tablename__ = "event_evaluation_answers"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, not ordered
    event_id: Mapped[int] = mapped_column(ForeignKey("training_events.id", ondelete="CASCADE"),
                                          index=True)
    answers: Mapped[dict] = mapped_column(JSONType)  # item key -> 1..5 or text
