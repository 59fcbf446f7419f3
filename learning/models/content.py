"""Courses, their ordered modules, and the versioned revisions of each module's text."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db
from .base import JSONType, UTCDateTime, utcnow


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    description_source: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    validity_months: Mapped[int | None] = mapped_column(Integer)
    # Training hours (jam pelajaran, 45 minutes) earned by completing the course.
    jp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position"
    )

    @property
    def live_modules(self) -> list["Module"]:
        """Modules an officer sees: published and not retired, in order."""
        return [m for m in self.modules if m.is_live]


class Module(db.Model):
    """A lesson. Title, minutes, laws and reviewed date mirror its published revision."""

    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    laws: Mapped[list] = mapped_column(JSONType, default=list)
    reviewed: Mapped[date | None] = mapped_column(Date)
    published_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("module_revisions.id", use_alter=True, name="fk_module_published_revision")
    )
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")
    published_revision: Mapped["ModuleRevision | None"] = relationship(
        foreign_keys=[published_revision_id], post_update=True
    )
    quiz = relationship("Quiz", back_populates="module", uselist=False)

    @hybrid_property
    def is_live(self) -> bool:
        """Published and not retired: the module officers see and courses count."""
        return self.published_revision_id is not None and self.retired_at is None

    @is_live.inplace.expression
    @classmethod
    def _is_live_expression(cls):
        return sa.and_(cls.published_revision_id.is_not(None), cls.retired_at.is_(None))


class ModuleRevision(db.Model):
    """One saved version of a module: its Markdown, its metadata and the sanitised HTML."""

    __tablename__ = "module_revisions"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    laws: Mapped[list] = mapped_column(JSONType, default=list)
    reviewed: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    toc_html: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(String(300), default="")
    substantive: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the text came from: "file" (the shipped curriculum, with the file's SHA-256) or
    # "studio" (a trainer's edit, a restore or a course zip; the author says who).
    origin: Mapped[str] = mapped_column(String(8), default="studio", server_default="studio")
    file_sha256: Mapped[str | None] = mapped_column(String(64))

    module: Mapped[Module] = relationship(foreign_keys=[module_id])
    author = relationship("User")
