"""The attendance list of an event: on screen, as CSV / XLSX (the report table shape) and as a PDF
with a signature column for the paper record many offices still keep."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from fpdf import FPDF

from learning.extensions import db
from learning.models import EventAttendance, EventInvite, Office, TrainingEvent, User
from learning.pdf_fonts import install_fonts
from learning.reports.tables import DATETIME, TEXT, Column, ReportRow, ReportTable
from . import zones
from .pdf_table import table_row


@dataclass(frozen=True)
class RosterLine:
    user_id: int
    name: str
    nip: str
    office: str
    checked_in_at: datetime | None
    method: str

    @property
    def present(self) -> bool:
        return self.checked_in_at is not None


def roster(event: TrainingEvent) -> list[RosterLine]:
    """Every invited officer, by office then name, with their check-in when there is one."""
    rows = db.session.execute(
        sa.select(User.id, User.full_name, User.nip, Office.name,
                  EventAttendance.checked_in_at, EventAttendance.method)
        .join(EventInvite, EventInvite.user_id == User.id)
        .outerjoin(Office, Office.id == User.office_id)
        .outerjoin(EventAttendance, sa.and_(EventAttendance.event_id == event.id,
                                            EventAttendance.user_id == User.id))
        .where(EventInvite.event_id == event.id)
        .order_by(Office.name, User.full_name, User.id)).all()
    return [RosterLine(uid, name, nip or "", office or "", at, method or "")
            for uid, name, nip, office, at, method in rows]


def attendance_counts(event: TrainingEvent) -> tuple[int, int]:
    """(present, invited). Attendance of someone no longer invited still counts as present."""
    present = db.session.scalar(sa.select(sa.func.count(EventAttendance.id))
                                .where(EventAttendance.event_id == event.id)) or 0
    invited = db.session.scalar(sa.select(sa.func.count(EventInvite.id))
                                .where(EventInvite.event_id == event.id)) or 0
    return present, invited


METHOD_LABELS = {"qr": _l("Pindai QR"), "qr_queued": _l("Pindai QR (terkirim kemudian)"),
                 "organiser": _l("Dicentang panitia")}


def roster_table(event: TrainingEvent) -> ReportTable:
    table = ReportTable(
        name=f"kehadiran-{event.id}", caption=_l("Daftar hadir"),
        columns=[Column("name", _l("Nama")), Column("nip", _l("NIP")),
                 Column("office", _l("Kantor")),
                 Column("checked_in_at", _l("Waktu hadir"), DATETIME),
                 Column("method", _l("Cara"), TEXT)])
    for line in roster(event):
        table.rows.append(ReportRow((line.name, line.nip, line.office, line.checked_in_at,
                                     str(METHOD_LABELS.get(line.method, "")) if line.present
                                     else "")))
    return table


def roster_pdf(event: TrainingEvent) -> bytes:
    """An A4 attendance sheet: number, name, NIP, office, check-in time, and an empty box to sign."""
    lines = roster(event)
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    family = install_fonts(pdf, [event.title, event.place] + [ln.name for ln in lines]
                           + [ln.office for ln in lines])
    pdf.set_title(f"Daftar hadir - {event.title}")
    pdf.set_creator("Pimpasa Learning")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    zone = event.timezone
    start = zones.local(event.starts_at, zone)
    pdf.set_font(family, "B", 14)
    pdf.multi_cell(0, 7, "DAFTAR HADIR", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(0, 6, event.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    when = (f"{start:%d-%m-%Y}, {zones.wall_clock(event.starts_at, zone)} - "
            f"{zones.wall_clock(event.ends_at, zone)}")
    place = ", ".join(p for p in (event.place, event.office.name if event.office else "") if p)
    pdf.multi_cell(0, 5, f"{when}" + (f" - {place}" if place else ""), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, f"{event.jp} JP", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (8, 52, 34, 36, 14, 36)
    headers = ("No", "Nama", "NIP", "Kantor", "Hadir", "Tanda tangan")
    pdf.set_font(family, "B", 9)
    for width, text in zip(widths, headers):
        pdf.cell(width, 7, text, border=1, align="C")
    pdf.ln()
    pdf.set_font(family, "", 8.5)
    for number, line in enumerate(lines, start=1):
        at = zones.local(line.checked_in_at, zone).strftime("%H.%M") if line.present else ""
        table_row(pdf, widths, (str(number), line.name, line.nip, line.office, at, ""),
                  min_height=10)
    present, invited = attendance_counts(event)
    if pdf.get_y() + 10 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(family, "", 9)
    pdf.cell(0, 5, f"Hadir {present} dari {invited} peserta. Waktu dalam {zones.label(zone)}.")
    return bytes(pdf.output())

