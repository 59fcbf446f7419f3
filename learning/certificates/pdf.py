"""The certificate as a one-page A4 PDF in Bahasa Indonesia, small enough for slow mobile data.

Names, course titles and offices print exactly as stored, in any script: the document embeds the
subset of the shipped Unicode fonts it uses (learning.pdf_fonts), and draws the QR code as vector
squares so it prints sharply. The signed QR payload carries the same UTF-8 text.

The certificate is an official document and is always in Bahasa Indonesia, whatever language
the officer reads the site in.
"""
from __future__ import annotations

from datetime import date

import segno
from babel.dates import format_date
from fpdf import FPDF

from learning.pdf_fonts import install_fonts
from .signing import CertificatePayload, qr_text
from learning.models import Certificate

BRAND = (11, 79, 108)
INK = (31, 41, 51)
MUTED = (90, 99, 110)
def indonesian_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


class _CertificateDocument(FPDF):
    family = "Helvetica"

    def text_line(self, text: str, size: float, style: str = "", color=INK, height: float = 0):
        self.set_font(self.family, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")

    def qr(self, text: str, x: float, y: float, size: float) -> None:
        """Draw the QR code as filled rectangles: one per run of dark modules in a row."""
        code = segno.make(text, error="m", micro=False)
        matrix = code.matrix
        cell = size / len(matrix)
        self.set_fill_color(0, 0, 0)
        for row_index, row in enumerate(matrix):
            start = None
            for col_index, dark in enumerate(list(row) + [0]):
                if dark and start is None:
                    start = col_index
                elif not dark and start is not None:
                    self.rect(x + start * cell, y + row_index * cell,
                              (col_index - start) * cell, cell, style="F")
                    start = None


def certificate_pdf(certificate: Certificate, payload: CertificatePayload, signing_key,
                    site_url: str, key_fingerprint: str = "") -> bytes:
    """The PDF bytes of `certificate`; its QR code holds the signed verification URL."""
    pdf = _CertificateDocument(orientation="L", unit="mm", format="A4")
    pdf.family = install_fonts(pdf, (certificate.holder_name, certificate.course_title,
                                     certificate.office_name or ""))
    pdf.set_title(f"Sertifikat {certificate.number}")
    pdf.set_author("Pimpasa Learning")
    pdf.set_subject(certificate.course_title)
    pdf.set_creator("Pimpasa Learning")
    pdf.set_auto_page_break(False)
    pdf.set_margins(25, 20, 25)
    pdf.add_page()

    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, 281, 194)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, 275, 188)

    pdf.set_y(24)
    pdf.text_line("SERTIFIKAT", 30, "B", BRAND, 13)
    pdf.text_line("Pelatihan Petugas Imigrasi Pembina Desa (Pimpasa)", 13, "", MUTED, 7)
    pdf.ln(7)
    pdf.text_line("diberikan kepada", 12, "", MUTED, 7)
    pdf.text_line(certificate.holder_name, 24, "B", INK, 11)
    identity = []
    if certificate.holder_nip:
        identity.append(f"NIP {certificate.holder_nip}")
    if certificate.office_name:
        identity.append(certificate.office_name)
    if identity:
        pdf.text_line(" - ".join(identity), 12, "", INK, 7)
    pdf.ln(5)
    pdf.text_line("yang telah menyelesaikan seluruh modul dan kuis kursus", 12, "", MUTED, 7)
    pdf.text_line(certificate.course_title, 18, "B", BRAND, 9)
    pdf.ln(6)

    left, top = 25, 142 - (7 if certificate.jp else 0)
    pdf.set_xy(left, top)
    rows = [("Tanggal selesai", indonesian_date(certificate.completed_on)),
            ("Berlaku sampai", indonesian_date(certificate.valid_until)
             if certificate.valid_until else "Tanpa batas waktu"),
            ("Nomor sertifikat", certificate.number)]
    if certificate.jp:
        rows.insert(0, ("Jam pelajaran", f"{certificate.jp} JP (1 JP = 45 menit)"))
    for label, value in rows:
        pdf.set_x(left)
        pdf.set_font(pdf.family, "", 11)
        pdf.set_text_color(*MUTED)
        pdf.cell(42, 7, label)
        pdf.set_font(pdf.family, "B", 12)
        pdf.set_text_color(*INK)
        pdf.cell(120, 7, value, new_x="LMARGIN", new_y="NEXT")

    base = site_url.rstrip("/")
    pdf.set_x(left)
    pdf.set_font(pdf.family, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(170, 4.5, (
        f"Periksa keaslian sertifikat ini dengan memindai kode QR atau membuka "
        f"{base}/verify/{certificate.number}. Kode QR memuat tanda tangan digital Ed25519 yang "
        f"dapat diperiksa tanpa internet dengan kunci publik dari {base}/verify/key"
        + (f" (sidik jari {key_fingerprint})." if key_fingerprint else ".")),
        align="L", new_x="LMARGIN", new_y="NEXT")

    size = 50
    pdf.qr(qr_text(payload, signing_key, site_url), 297 - 25 - size, 132, size)
    pdf.set_xy(297 - 25 - size - 5, 132 + size + 1)
    pdf.set_font(pdf.family, "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(size + 10, 4, "Pindai untuk memeriksa", align="C")
    return bytes(pdf.output())
