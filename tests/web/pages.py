"""Reading pages and downloads as a person would: the tables, links, forms and messages of an HTML
page (html.parser from the standard library), and CSV and XLSX downloads, in one shape so that a
download can be compared with the table on the screen cell by cell."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

from openpyxl import load_workbook

_BLOCKS = {"p", "div", "li", "dt", "dd", "h1", "h2", "h3", "tr", "td", "th", "caption", "section",
           "br", "option", "label"}
_MESSAGE_CLASSES = {"error", "flash"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Cell:
    text: str
    numeric: bool  # class="num": a number in the reader's locale on the screen
    link: str | None = None
    machine: str | None = None  # a <time datetime="..."> inside: the value the downloads hold


@dataclass
class Table:
    id: str | None
    header: list[Cell] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)
    foot: list[list[Cell]] = field(default_factory=list)
    links_after: list[str] = field(default_factory=list)  # hrefs between this table and the next

    @property
    def rows(self) -> list[list[Cell]]:
        """Data rows then the total line, as a download writes them; the "no data" row is not one."""
        return self.body + self.foot

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]

    def download(self, fmt: str) -> str:
        return next(href for href in self.links_after if href.split("?")[0].endswith("." + fmt))


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class Page(HTMLParser):
    """The parts of an HTML page tests look at. `text` is the visible text, one block a line."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str | None, Table] = {}
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.forms: list[Form] = []
        self.by_id: dict[str, str] = {}
        self.messages: list[tuple[str, str]] = []  # (class, text) of flashes and field errors
        self._text: list[str] = []
        self._table: Table | None = None
        self._last_table: Table | None = None
        self._part = "tbody"
        self._row: list[Cell] | None = None
        self._row_empty = False
        self._cell: Cell | None = None
        self._cell_text: list[str] = []
        self._anchor: tuple[str, list[str]] | None = None
        self._marks: list[tuple[str, str, str, int]] = []  # (tag, id, class, text position)
        self._select: str | None = None
        self._textarea: str | None = None
        self._skip = 0
        self.feed(html)
        self.close()
        self.text = re.sub(r"[ \t]*\n[\s]*", "\n", "".join(self._text)).strip()

    # -- parsing

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        if tag in _BLOCKS:
            self._text.append("\n")
            if self._cell is not None:
                self._cell_text.append(" ")
        if a.get("id") or _MESSAGE_CLASSES & set(a.get("class", "").split()):
            self._marks.append((tag, a.get("id", ""), a.get("class", ""), len(self._text)))
        if tag == "table":
            self._table = self.tables[a.get("id")] = Table(a.get("id"))
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag
        elif tag == "tr" and self._table is not None:
            self._row, self._row_empty = [], "empty" in a.get("class", "").split()
        elif tag in ("td", "th") and self._row is not None:
            self._cell = Cell("", "num" in a.get("class", "").split())
            self._cell_text = []
        elif tag == "time" and self._cell is not None and a.get("datetime"):
            self._cell.machine = a["datetime"]
        elif tag == "a":
            self._anchor = (a.get("href", ""), [])
            if self._cell is not None and not self._row:
                self._cell.link = a.get("href")
        elif tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
        elif tag == "input" and self.forms and a.get("name"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "select" and self.forms:
            self._select = a.get("name")
            self.forms[-1].fields.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1].fields[self._select] = a.get("value", "")
        elif tag == "textarea" and self.forms:
            self._textarea = a.get("name")
            self.forms[-1].fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in _BLOCKS:
            self._text.append("\n")
        for index in range(len(self._marks) - 1, -1, -1):
            open_tag, ident, classes, start = self._marks[index]
            if open_tag == tag:
                text = " ".join("".join(self._text[start:]).split())
                if ident:
                    self.by_id[ident] = text
                if _MESSAGE_CLASSES & set(classes.split()):
                    self.messages.append((classes, text))
                del self._marks[index]
                break
        if tag in ("td", "th") and self._cell is not None:
            self._cell.text = " ".join("".join(self._cell_text).split())
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._part == "thead":
                self._table.header = self._row
            elif not self._row_empty:
                (self._table.foot if self._part == "tfoot" else self._table.body).append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self._last_table, self._table = self._table, None
        elif tag == "a" and self._anchor is not None:
            href, words = self._anchor
            self.links.append((href, " ".join("".join(words).split())))
            if self._last_table is not None and self._table is None:
                self._last_table.links_after.append(href)
            self._anchor = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._skip:
            return
        self._text.append(data)
        if self._cell is not None:
            self._cell_text.append(data)
        if self._anchor is not None:
            self._anchor[1].append(data)
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    # -- looking things up

    def table(self, ident: str) -> Table:
        return self.tables[ident]

    def form(self, action_ends: str) -> Form:
        return next(f for f in self.forms if f.action.split("?")[0].endswith(action_ends))

    def link(self, text: str) -> str:
        return next(href for href, words in self.links if words == text)

    def errors(self) -> list[str]:
        """The messages shown beside fields and in error banners."""
        return [text for classes, text in self.messages
                if {"error", "flash-error"} & set(classes.split())]

    def flashes(self, category: str = "success") -> list[str]:
        return [text for classes, text in self.messages if f"flash-{category}" in classes.split()]


def page(response) -> Page:
    return Page(response.get_data(as_text=True))


# --------------------------------------------------------------------------- downloads


def csv_rows(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff"), "CSV without the byte-order mark Excel needs"
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book.worksheets[0]
    return [[_xlsx_cell(cell) for cell in row] for row in sheet.iter_rows()]


def _xlsx_cell(cell):
    value = cell.value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M" if "h" in cell.number_format else "%Y-%m-%d")
    return value


# --------------------------------------------------------------------------- comparing


def screen_number(text: str) -> float | None:
    """A number as the Indonesian page shows it: 1.234,5 or 75,5% (— for none)."""
    if text in ("—", ""):
        return None
    plain = text.removesuffix("%").replace(".", "").replace(",", ".")
    return float(plain)


def _plain_text(value) -> str:
    """A downloaded text cell as the screen shows it: a spreadsheet formula is written with a
    leading apostrophe (so it stays text), the screen shows the text as typed."""
    text = "" if value is None else str(value)
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def _plain_number(value) -> float | None:
    if value in (None, ""):
        return None
    return float(value)


def screen_table(table: Table) -> list[list]:
    """The screen's rows (data, then the total line) with numbers as numbers, blanks as ''."""
    rows = []
    for row in table.rows:
        rows.append([screen_number(c.text) if c.numeric
                     else c.machine if c.machine is not None
                     else ("" if c.text == "—" else c.text) for c in row])
    return rows


def download_table(rows: list[list], table: Table) -> tuple[list, list[list]]:
    """(header, rows) of a CSV or XLSX download, typed like `screen_table` by the screen's
    columns: numbers where the page shows numbers, text elsewhere."""
    numeric = [c.numeric for c in table.header]
    header, body = rows[0], rows[1:]
    typed = []
    for row in body:
        assert len(row) == len(numeric), row
        typed.append([_plain_number(v) if num else _plain_text(v)
                      for v, num in zip(row, numeric)])
    return [str(h) for h in header], typed
