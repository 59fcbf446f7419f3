"""The one error type of the content pipeline: it always names the file and the line."""
from __future__ import annotations


class ContentError(Exception):
    """A problem in a content file, located by path and 1-based line number."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
