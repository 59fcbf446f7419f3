"""The yearly JP recap of one officer as a PDF for their personnel file (always in Bahasa
Indonesia, like the certificate), names printed as written (learning.pdf_fonts)."""
from __future__ import annotations

from babel.dates import format_date
from fpdf import FPDF

from learning.models import User
from learning.pdf_fonts import install_fonts
from .jp import TARGET, JpItem
from .pdf_table import table_row

KIND_LABELS = {"course": "Kursus daring", "event": "Pelatihan tatap muka"}


def recap_pdf(user: User, year: int, items: list[JpItem], printed_on) -> bytes:
    office = user.office.name if user.office else ""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    family = install_fonts(pdf, [user.full_name, office] + [item.title for item in items])
    pdf.set_title(f"Rekap JP {year} - {user.full_name}")
    pdf.set_creator("Pimpasa Learning")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font(family, "B", 15)
    pdf.multi_cell(0, 8, f"REKAPITULASI JAM PELAJARAN (JP) TAHUN {year}", align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, "Pengembangan kompetensi paling sedikit 20 JP setahun "
                   "(PP 11/2017 jo. PP 17/2020, Pasal 203 ayat 4). 1 JP = 45 menit.",
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(5)
    for label, value in (("Nama", user.full_name), ("NIP", user.nip or "-"),
                         ("Kantor", office or "-")):
        pdf.set_font(family, "", 10)
        pdf.cell(30, 6, label)
        pdf.set_font(family, "B", 10)
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    widths = (10, 28, 42, 74, 16)
    pdf.set_font(family, "B", 9)
    for width, text in zip(widths, ("No", "Tanggal", "Jenis", "Kegiatan", "JP")):
        pdf.cell(width, 7, text, border=1, align="C")
    pdf.ln()
    pdf.set_font(family, "", 9)
    for number, item in enumerate(items, start=1):
        table_row(pdf, widths, (str(number), format_date(item.day, "d MMM y", locale="id"),
                                KIND_LABELS.get(item.kind, item.kind), item.title, str(item.jp)),
                  line=5, aligns=("L", "L", "L", "L", "R"))
    if not items:
        pdf.cell(sum(widths), 8, "Belum ada JP tercatat pada tahun ini.", border=1)
        pdf.ln()
    total = sum(item.jp for item in items)
    pdf.set_font(family, "B", 10)
    pdf.cell(sum(widths[:4]), 8, "Jumlah", border=1, align="R")
    pdf.cell(widths[4], 8, str(total), border=1, align="R")
    pdf.ln(12)
    pdf.set_font(family, "", 10)
    status = ("Memenuhi" if total >= TARGET
              else f"Belum memenuhi: kurang {TARGET - total} JP")
    pdf.multi_cell(0, 6, f"Target {TARGET} JP: {status}.", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, f"Dicetak pada {format_date(printed_on, 'd MMMM y', locale='id')} "
                   f"dari Pimpasa Learning.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
