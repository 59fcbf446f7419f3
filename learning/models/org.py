"""The organisation: regions (Kanwil) and their immigration offices (Kantor Imigrasi)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.extensions import db


class Region(db.Model):
    """A Kantor Wilayah (Kanwil) of the immigration service."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))

    offices: Mapped[list["Office"]] = relationship(back_populates="region", order_by="Office.name")

    def __repr__(self) -> str:
        return f"<Region {self.code}>"


class Office(db.Model):
    """A Kantor Imigrasi, identified by its code, belonging to one region."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    # IANA zone of the office (Asia/Jakarta WIB, Asia/Makassar WITA, Asia/Jayapura WIT);
    # None: the application's zone.
    timezone: Mapped[str | None] = mapped_column(String(40))

    region: Mapped[Region] = relationship(back_populates="offices")

    def __repr__(self) -> str:
        return f"<Office {self.code}>"
