"""A certificate of attendance for a face-to-face event, stating its JP (Bahasa Indonesia, one A4
landscape page, names printed as written through learning.pdf_fonts).

Issued to an officer who attended and, where the event has a post-test, passed it: exactly the
condition under which the event's JP count (learning.events.jp)."""
from __future__ import annotations

from babel.dates import format_date
from fpdf import FPDF

from learning.models import TrainingEvent, User
from learning.pdf_fonts import install_fonts
from . import zones

BRAND = (11, 79, 108)
INK = (31, 41, 51)
MUTED = (90, 99, 110)


def attendance_certificate_pdf(event: TrainingEvent, user: User) -> bytes:
    office = user.office.name if user.office else ""
    speakers = [f"{s.name} ({s.institution})" if s.institution else s.name
                for s in event.speakers]
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    family = install_fonts(pdf, [user.full_name, office, event.title, event.place] + speakers)
    pdf.set_title(f"Sertifikat kehadiran - {event.title}")
    pdf.set_creator("Pimpasa Learning")
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)

    def line(text: str, size: float, style: str = "", color=INK, height: float = 0):
        pdf.set_font(family, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")

    day = zones.local(event.starts_at, event.timezone).date()
    pdf.set_y(26)
    line("SERTIFIKAT", 30, "B", BRAND, 13)
    line("Pelatihan Petugas Imigrasi Pembina Desa (Pimpasa)", 13, "", MUTED, 7)
    pdf.ln(6)
    line("diberikan kepada", 12, "", MUTED, 7)
    line(user.full_name, 24, "B", INK, 11)
    identity = " - ".join(p for p in (f"NIP {user.nip}" if user.nip else "", office) if p)
    if identity:
        line(identity, 12, "", INK, 7)
    pdf.ln(4)
    line("yang telah mengikuti kegiatan tatap muka", 12, "", MUTED, 7)
    line(event.title, 18, "B", BRAND, 9)
    where = ", ".join(p for p in (event.place,) if p)
    line(f"{format_date(day, 'd MMMM y', locale='id')}, "
         f"{zones.wall_clock(event.starts_at, event.timezone)} - "
         f"{zones.wall_clock(event.ends_at, event.timezone)}" + (f", {where}" if where else ""),
         11, "", INK, 6)
    pdf.ln(4)
    line(f"sebanyak {event.jp} jam pelajaran ({event.jp} JP; 1 JP = 45 menit)", 14, "B", INK, 8)
    if speakers:
        pdf.ln(3)
        line("Narasumber: " + "; ".join(speakers), 10, "", MUTED, 5)
    return bytes(pdf.output())
