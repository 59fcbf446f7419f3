"""Uploaded images, re-encoded for phones and addressed by the SHA-256 of their bytes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from learning.extensions import db
from .base import UTCDateTime, utcnow


class Image(db.Model):
    """An image for module text, served at /media/<sha256>.<ext>.

    The bytes live in `data` (the default: every app server sees the database) or, when
    MEDIA_ROOT is configured, in a file under that shared folder and `data` stays empty.
    """

    __tablename__ = "images"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    ext: Mapped[str] = mapped_column(String(8))
    content_type: Mapped[str] = mapped_column(String(32))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    byte_size: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(200), default="")
    original_size: Mapped[int] = mapped_column(Integer, default=0)
    alt: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    uploader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    uploader = relationship("User")

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.ext}"

    @property
    def path(self) -> str:
        """The site-relative URL module Markdown uses for this image."""
        return f"/media/{self.filename}"
