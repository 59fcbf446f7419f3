"""The one shape every report table has, on the screen and in its CSV and XLSX exports.

A report function returns a ReportTable; the page renders it and the exports write it, so the
numbers on the screen and in a download come from the same call and cannot disagree.
Values are plain Python: int, float (a percentage is 0-100 with one decimal, a score 0-100),
str, date or datetime, bool, or None for "no value".
"""
from __future__ import annotations

from dataclasses import dataclass, field

TEXT, INT, PERCENT, SCORE, DECIMAL, DATE, DATETIME, BOOL = (
    "text", "int", "percent", "score", "decimal", "date", "datetime", "bool")


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a (lazy) translated string
    kind: str = TEXT


@dataclass(frozen=True)
class ReportRow:
    values: tuple
    link: tuple | None = None  # what the first cell opens, e.g. ("region", 3): the view makes the URL
    flagged: bool = False  # shown highlighted (e.g. a question to review)

    def value(self, table: "ReportTable", key: str):
        return self.values[table.keys.index(key)]


@dataclass
class ReportTable:
    name: str  # used in the download's file name
    caption: object
    columns: list[Column]
    rows: list[ReportRow] = field(default_factory=list)
    total: ReportRow | None = None  # a last "Jumlah" line, shown and exported under any rows

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def all_rows(self) -> list[ReportRow]:
        """The rows, then the total line when there are rows to total (as the page shows it)."""
        return self.rows + ([self.total] if self.total is not None and self.rows else [])

    def column(self, key: str) -> list:
        index = self.keys.index(key)
        return [row.values[index] for row in self.rows]


def rate(part: int, whole: int) -> float | None:
    """part / whole as a percentage with one decimal; None when there is nothing to divide."""
    return round(100.0 * part / whole, 1) if whole else None


def mean(total: float | None, count: int) -> float | None:
    return round(total / count, 1) if count and total is not None else None
