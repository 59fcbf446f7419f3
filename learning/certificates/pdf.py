"""The certificate as a one-page A4 PDF in Bahasa Indonesia, small enough for slow mobile data.

It uses a core PDF font (Helvetica: nothing embedded) and draws the QR code as vector squares,
so it prints sharply and stays around 10 KB. Core fonts only know Latin-1: any other character in
a name or title is transliterated (Ā -> A, ’ -> ') rather than dropped; the signed QR payload
keeps the exact UTF-8 text.

The certificate is an official document and is always in Bahasa Indonesia, whatever language
the officer reads the site in.
"""
from __future__ import annotations

import unicodedata
from datetime import date

import segno
from babel.dates import format_date
from fpdf import FPDF

from .signing import CertificatePayload, qr_text
from learning.models import Certificate

BRAND = (11, 79, 108)
INK = (31, 41, 51)
MUTED = (90, 99, 110)
PUNCTUATION = {"\u2018": "'", "\u2019": "'", "\u201a": ",", "\u201c": '"', "\u201d": '"',
               "\u2013": "-", "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-",
               "\u0131": "i", "\u0142": "l", "\u0141": "L", "\u00df": "ss"}


def latin1(text: str) -> str:
    """`text` with every character a core PDF font can print: Latin-1 kept, accents on other
    letters removed, common punctuation replaced, anything else a '?'."""
    out = []
    for ch in text or "":
        if ch in PUNCTUATION:
            out.append(PUNCTUATION[ch])
            continue
        try:
            ch.encode("latin-1")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        base = "".join(c for c in unicodedata.normalize("NFKD", ch)
                       if not unicodedata.combining(c))
        try:
            out.append(base.encode("latin-1").decode("latin-1") if base else "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


def indonesian_date(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


class _CertificateDocument(FPDF):
    def text_line(self, text: str, size: float, style: str = "", color=INK, height: float = 0):
        self.set_font("Helvetica", style, size)
        self.set_text_color(*color)
        self.multi_cell(0, height or size * 0.5, latin1(text), align="C",
                        new_x="LMARGIN", new_y="NEXT")

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
    pdf.set_title(latin1(f"Sertifikat {certificate.number}"))
    pdf.set_author("Pimpasa Learning")
    pdf.set_subject(latin1(certificate.course_title))
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

    left, top = 25, 142
    pdf.set_xy(left, top)
    rows = [("Tanggal selesai", indonesian_date(certificate.completed_on)),
            ("Berlaku sampai", indonesian_date(certificate.valid_until)
             if certificate.valid_until else "Tanpa batas waktu"),
            ("Nomor sertifikat", certificate.number)]
    for label, value in rows:
        pdf.set_x(left)
        pdf.set_font("Helvetica", "", 11)
        pdf.set_text_color(*MUTED)
        pdf.cell(42, 7, latin1(label))
        pdf.set_font("Helvetica", "B", 12)
        pdf.set_text_color(*INK)
        pdf.cell(120, 7, latin1(value), new_x="LMARGIN", new_y="NEXT")

    base = site_url.rstrip("/")
    pdf.set_x(left)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(170, 4.5, latin1(
        f"Periksa keaslian sertifikat ini dengan memindai kode QR atau membuka "
        f"{base}/verify/{certificate.number}. Kode QR memuat tanda tangan digital Ed25519 yang "
        f"dapat diperiksa tanpa internet dengan kunci publik dari {base}/verify/key"
        + (f" (sidik jari {key_fingerprint})." if key_fingerprint else ".")),
        align="L", new_x="LMARGIN", new_y="NEXT")

    size = 50
    pdf.qr(qr_text(payload, signing_key, site_url), 297 - 25 - size, 132, size)
    pdf.set_xy(297 - 25 - size - 5, 132 + size + 1)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(size + 10, 4, "Pindai untuk memeriksa", align="C")
    return bytes(pdf.output())
