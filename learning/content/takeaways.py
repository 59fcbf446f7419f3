"""Take-away texts of a course: `ringkasan.md` (a printable summary) and `sosialisasi.md` (a
script for a village meeting with a one-page poster text), next to `course.md`.

They are not modules: the curriculum reader validates them and keeps them on the course
(`CourseSource.takeaways`), the importer does not store them, and `printable.py` turns them into
PDFs. Front matter: `title` (required) and `checked` (required, YYYY-MM-DD: the date the facts
were last checked, printed on the PDF).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import ContentError
from .front_matter import meta_line, split_front_matter

TAKEAWAY_FILES = {"ringkasan.md": "ringkasan", "sosialisasi.md": "sosialisasi"}


@dataclass
class TakeawaySource:
    path: str
    kind: str  # "ringkasan" or "sosialisasi"
    title: str
    checked: date
    body: str


def parse_takeaway(text: str, path: str, kind: str) -> TakeawaySource:
    """Parse a ringkasan.md or sosialisasi.md file; raise ContentError at the first problem."""
    document = split_front_matter(text, path)
    meta = document.meta
    for key in meta:
        if key not in ("title", "checked"):
            raise ContentError(path, meta_line(text, str(key)),
                               f"unknown front matter field '{key}' (allowed: title, checked)")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ContentError(path, meta_line(text, "title") if "title" in meta else 2,
                           "'title' is required")
    checked = meta.get("checked")
    if not isinstance(checked, date):
        raise ContentError(path, meta_line(text, "checked") if "checked" in meta else 2,
                           "'checked' is required, a date written YYYY-MM-DD")
    if not document.body.strip():
        raise ContentError(path, document.body_line, "the file has no text")
    return TakeawaySource(path=path, kind=kind, title=title.strip(), checked=checked,
                          body=document.body.strip() + "\n")
