"""Printable take-away material: a course's `ringkasan.md` and `sosialisasi.md` as A4 PDFs of at
most two pages, in Bahasa Indonesia, with the date the facts were checked on every page.

Pure functions: Markdown in, PDF bytes out (fpdf2, already used for certificates). The Markdown is
rendered by Python-Markdown (tables, lists, emphasis; no glossary abbreviations: paper has no
tooltips) and laid out with fpdf2's HTML writer. The text is set in the fonts shipped with the
project (learning/pdf_fonts.py: DejaVu Sans, embedded as a subset), so every Indonesian character,
dash, quote and the ☐ of a checklist prints as written.

In `sosialisasi.md`, a `## Poster ...` heading starts a new page, so the poster text prints on a
page of its own. When the text does not fit in two pages the body size steps down from 10 pt to
8 pt; if it still does not fit, `PrintableTooLong` names the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path

import markdown
from fpdf import FPDF
from fpdf.fonts import TextStyle

from ..pdf_fonts import install_fonts
from .curriculum import CourseSource, Curriculum
from .takeaways import TakeawaySource

MAX_PAGES = 2
BODY_SIZES = (10, 9.5, 9, 8.5, 8)
BRAND = (11, 79, 108)
MUTED = (90, 99, 110)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
KIND_LABEL = {"ringkasan": "Ringkasan", "sosialisasi": "Naskah sosialisasi dan poster"}
_POSTER = re.compile(r"^##[ \t]+Poster\b", re.IGNORECASE | re.MULTILINE)
_TWO_COLUMN_HEAD = re.compile(r"<thead>\s*<tr>\s*<th>(.*?)</th>\s*<th>(.*?)</th>\s*</tr>", re.DOTALL)


class PrintableTooLong(Exception):
    """The text does not fit on MAX_PAGES A4 pages even at the smallest body size."""


@dataclass(frozen=True)
class Printable:
    filename: str  # "<course-slug>-<kind>.pdf"
    title: str
    checked: date
    data: bytes
    pages: int


def indonesian_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class _Document(FPDF):
    def __init__(self, course_title: str, doc_title: str, checked: date):
        super().__init__(format="A4")
        self.course_title, self.doc_title, self.checked = course_title, doc_title, checked
        self.body_family = install_fonts(self, (course_title, doc_title))
        self.set_margins(16, 14, 16)
        self.set_auto_page_break(True, margin=16)
        self.set_title(doc_title)
        self.set_author("Pimpasa Learning")
        self.set_creation_date(datetime.combine(checked, time(), tzinfo=timezone.utc))

    def header(self):
        self.set_font(self.body_family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"Pimpasa Learning · {self.course_title}",
                  new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.body_family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 4, (
            f"Diperiksa {indonesian_date(self.checked)} · Periksa ulang sebelum dibagikan bila sudah "
            f"lewat setahun · Halaman {self.page_no()}/{{nb}}"), align="C")


def _html(markdown_text: str) -> str:
    """Markdown as the HTML fpdf2 lays out: table cells left-aligned (not justified), the first
    column of a table narrower (it holds the label), no horizontal rules."""
    html = markdown.markdown(markdown_text, extensions=["tables", "sane_lists"])
    html = _TWO_COLUMN_HEAD.sub(r'<thead><tr><th width="32%">\1</th><th width="68%">\2</th></tr>', html)
    html = html.replace("<td>", '<td align="left">').replace("<th>", '<th align="left">')
    return html.replace("<hr />", "")


def _styles(size: float) -> dict:
    return {
        "h1": TextStyle(font_size_pt=size + 6, color=BRAND, t_margin=3, b_margin=1),
        "h2": TextStyle(font_size_pt=size + 3, color=BRAND, t_margin=3, b_margin=1),
        "h3": TextStyle(font_size_pt=size + 1, color=BRAND, t_margin=2, b_margin=0.5),
        "p": TextStyle(t_margin=0, b_margin=1.5),
        "li": TextStyle(t_margin=0.6, l_margin=5),
        "ul": TextStyle(t_margin=0.5, b_margin=1), "ol": TextStyle(t_margin=0.5, b_margin=1),
    }


def _render(course_title: str, takeaway: TakeawaySource, size: float) -> tuple[bytes, int]:
    pdf = _Document(course_title, takeaway.title, takeaway.checked)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_text_color(*BRAND)
    pdf.set_font(pdf.body_family, "B", size + 7)
    pdf.multi_cell(0, (size + 7) * 0.45, takeaway.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.body_family, "", size)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, size * 0.5, (
        f"{KIND_LABEL.get(takeaway.kind, takeaway.kind)} · Fakta diperiksa: "
        f"{indonesian_date(takeaway.checked)}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    parts = _POSTER.split(takeaway.body)
    headings = _POSTER.findall(takeaway.body)
    for index, part in enumerate(parts):
        text = part if index == 0 else headings[index - 1] + part
        if index:
            pdf.add_page()
        if not text.strip():
            continue
        part_size = size if index == 0 else size + 4  # the poster page reads from a distance
        pdf.set_text_color(20, 20, 20)
        pdf.set_font(pdf.body_family, "", part_size)
        pdf.write_html(_html(text), font_family=pdf.body_family,
                       tag_styles=_styles(part_size),
                       ul_bullet_char="•" if pdf.body_family == "DejaVu" else "-",
                       li_prefix_color=BRAND, table_line_separators=True)
    return bytes(pdf.output()), pdf.page_no()


def takeaway_pdf(course: CourseSource, takeaway: TakeawaySource) -> Printable:
    """The PDF of one take-away file: A4, at most MAX_PAGES pages, date checked on every page."""
    for size in BODY_SIZES:
        data, pages = _render(course.title, takeaway, size)
        if pages <= MAX_PAGES:
            return Printable(filename=f"{course.slug}-{takeaway.kind}.pdf", title=takeaway.title,
                             checked=takeaway.checked, data=data, pages=pages)
    raise PrintableTooLong(f"{takeaway.path}: {pages} pages at {BODY_SIZES[-1]} pt, at most "
                           f"{MAX_PAGES} allowed: shorten the text")


def course_printables(curriculum: Curriculum) -> list[Printable]:
    """Every take-away PDF of every course, in course order."""
    result = []
    for course in sorted(curriculum.courses, key=lambda c: (c.order, c.slug)):
        for kind in sorted(course.takeaways):
            result.append(takeaway_pdf(course, course.takeaways[kind]))
    return result


def write_printables(curriculum: Curriculum, outdir: Path) -> list[Path]:
    """Write every take-away PDF into `outdir` (created if needed); return the paths written."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for printable in course_printables(curriculum):
        path = outdir / printable.filename
        path.write_bytes(printable.data)
        written.append(path)
    return written
