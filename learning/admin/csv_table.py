"""Reading an uploaded CSV file the way people actually save them.

Spreadsheets in Indonesia save CSV with a comma or, in the Indonesian locale, a semicolon; in
UTF-8 (with or without the byte-order mark Excel adds) or in the Windows code page. The first line
is the header; columns are matched by name, in any order and any letter case. Every data line
keeps its line number in the file, so errors can be reported "baris 7".
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

MAX_LINES = 20_000


class CsvFileError(ValueError):
    """The file as a whole cannot be read: `code` names the problem, `params` fill the message."""

    def __init__(self, problem: str, **params):
        super().__init__(problem)
        self.code, self.params = problem, params


@dataclass(frozen=True)
class CsvLine:
    number: int  # line number in the file (the header is line 1)
    values: dict[str, str]  # column name -> stripped text ("" when missing)

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class CsvTable:
    columns: list[str]
    lines: list[CsvLine] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped); otherwise the Windows code page spreadsheets use (cp1252)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_csv(data: bytes, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> CsvTable:
    """Parse `data`; raise CsvFileError when the header lacks a required column, the file is
    empty or too long. Blank lines are skipped; unknown columns are listed in ignored_columns."""
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n") if line.strip()), "")
    if not first:
        raise CsvFileError("empty")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    header: list[str] | None = None
    table: CsvTable | None = None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                missing = [name for name in required if name not in header]
                if missing:
                    raise CsvFileError("missing_columns", columns=", ".join(missing))
                known = set(required) | set(optional)
                table = CsvTable(columns=header,
                                 ignored_columns=[c for c in header if c and c not in known])
                continue
            if len(table.lines) >= MAX_LINES:
                raise CsvFileError("too_many_lines", limit=MAX_LINES)
            values = {name: (row[i].strip() if i < len(row) else "")
                      for i, name in enumerate(header) if name}
            table.lines.append(CsvLine(number=reader.line_num, values=values))
    except csv.Error as exc:
        raise CsvFileError("unreadable", line=reader.line_num, reason=str(exc)) from None
    if table is None:
        raise CsvFileError("empty")
    return table


# --------------------------------------------------------------------------- import previews


@dataclass(frozen=True)
class Problem:
    """Something to tell the administrator about one line: a code and its parameters (the web
    layer turns them into a sentence in the user's language)."""

    code: str
    params: dict = field(default_factory=dict)


CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


@dataclass
class ImportLine:
    number: int
    label: str  # what the line is about, as the administrator wrote it (a code, a NIP)
    action: str = UNCHANGED  # create, update, unchanged or error
    changes: list[Problem] = field(default_factory=list)  # what applying it will change
    errors: list[Problem] = field(default_factory=list)

    def fail(self, problem: str, **params) -> None:
        self.errors.append(Problem(problem, params))
        self.action = ERROR


@dataclass
class ImportPreview:
    """Every line's result before anything is written. Applying writes the lines without errors."""

    lines: list[ImportLine]
    ignored_columns: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def errors(self) -> list[ImportLine]:
        return [line for line in self.lines if line.action == ERROR]

    @property
    def changes(self) -> int:
        return self.count(CREATE) + self.count(UPDATE)
