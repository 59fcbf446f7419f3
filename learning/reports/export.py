"""Report tables as CSV and XLSX downloads: the same ReportTable the page shows, line for line.

CSV: UTF-8 with a byte-order mark (so Excel reads Indonesian names correctly), comma-separated,
a header row, then one row per line of the screen table (the "Jumlah" line included). Numbers are
written plainly (75.5, not "75,5%"), dates as YYYY-MM-DD, times as YYYY-MM-DD HH:MM local time.
XLSX: the same cells, numbers as numbers with a display format.

Formula injection: a text cell that starts with = + - @ or a tab or carriage return would be run
as a formula by a spreadsheet (`=HYPERLINK(...)` in a name). Such a cell is written with a
leading apostrophe, which spreadsheets show as text. Numbers are never text, so -3 stays -3.
A reader may also split the file on another separator than ours: Excel with Indonesian regional
settings splits on `;`, some tools on tab or `|`, and a careless one ignores quotes. So every cell
of the CSV is quoted, and inside a text cell a formula start that follows any of those separators
(or a line break), after optional spaces, gets the same apostrophe: `Sari Wulandari;=1+1;` is
written `Sari Wulandari;'=1+1;`, which no reader turns into a live formula.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from .tables import DATE, DATETIME, DECIMAL, INT, PERCENT, SCORE, ReportTable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_AFTER_SEPARATOR = re.compile(r"([,;\t|\r\n] *)(?=[=+\-@\t\r])")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBER_FORMATS = {PERCENT: '0.0"%"', SCORE: "0.0", DECIMAL: "0.00", INT: "0",
                   DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}


def neutralise(text: str) -> str:
    """Text a spreadsheet will not treat as a formula, whatever separator it splits cells on."""
    text = _AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def local_time(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def cell_text(value, kind: str, tz: str) -> str:
    """A cell as written in CSV, and as shown on the screen for text, dates and yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime):
        return local_time(value, tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}" if kind == DECIMAL else f"{value:.1f}"
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def table_csv(table: ReportTable, tz: str, bom: bool = True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow([neutralise(str(c.label)) for c in table.columns])
    for row in table.all_rows():
        writer.writerow([cell_text(value, column.kind, tz)
                         for value, column in zip(row.values, table.columns)])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def _xlsx_value(value, tz: str):
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, datetime):
        return local_time(value, tz)
    if isinstance(value, (int, float, date)):
        return value
    return neutralise(str(value))


def table_xlsx(table: ReportTable, tz: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.name[:31])
    bold = Font(bold=True)
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.label)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.all_rows():
        cells = []
        for value, column in zip(row.values, table.columns):
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value, tz))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif column.kind in _NUMBER_FORMATS and cell.value is not None:
                cell.number_format = _NUMBER_FORMATS[column.kind]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_filename(table: ReportTable, extension: str, day: date, *parts: str) -> str:
    """laporan-<table>[-<parts>]-<YYYY-MM-DD>.<extension>, ASCII only."""
    words = ["laporan", table.name, *[p for p in parts if p], day.isoformat()]
    name = "-".join(words)
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in name)
    return f"{safe}.{extension}"
