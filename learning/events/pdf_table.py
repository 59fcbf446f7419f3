"""Table rows for the event PDFs that wrap long text instead of cutting it, so every name and
office prints in full, as written."""
from __future__ import annotations

from fpdf import FPDF


def table_row(pdf: FPDF, widths: tuple[float, ...], cells: tuple[str, ...], line: float = 4.5,
              min_height: float = 8, aligns: tuple[str, ...] | None = None) -> None:
    """One bordered row; every cell wraps, the row is as tall as its tallest cell, and a row that
    would not fit starts a new page."""
    lines = [len(pdf.multi_cell(w, line, text, dry_run=True, output="LINES")) or 1
             for w, text in zip(widths, cells)]
    height = max(min_height, line * max(lines) + 2)
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    for index, (width, text) in enumerate(zip(widths, cells)):
        left = x + sum(widths[:index])
        pdf.rect(left, y, width, height)
        pdf.set_xy(left, y + 1)
        pdf.multi_cell(width, line, text, align=(aligns or ("L",) * len(cells))[index])
    pdf.set_xy(x, y + height)
