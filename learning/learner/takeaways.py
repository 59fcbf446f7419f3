"""A course's take-away material for officers: the printable summary and the village-meeting script
(`courses/<slug>/ringkasan.md`, `sosialisasi.md` under the content root) as PDFs.

The files are read from the content folder, not the database: they are published with the
curriculum, not edited in the studio. A PDF is built once per file version (path and modification
time) and kept in memory: each is under 200 KB, and a course has at most two.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from learning.content.errors import ContentError
from learning.content.printable import Printable, PrintableTooLong, takeaway_pdf
from learning.content.takeaways import TAKEAWAY_FILES, TakeawaySource, parse_takeaway

KINDS = tuple(TAKEAWAY_FILES.values())  # ("ringkasan", "sosialisasi")


@dataclass(frozen=True)
class _CourseName:
    slug: str
    title: str


@dataclass(frozen=True)
class Takeaway:
    kind: str
    title: str
    printable: Printable

    @property
    def size_kb(self) -> int:
        return max(1, round(len(self.printable.data) / 1024))


def _source(content_root: Path, course_slug: str, kind: str) -> Path:
    return Path(content_root) / "courses" / course_slug / f"{kind}.md"


@lru_cache(maxsize=64)
def _built(path: str, mtime_ns: int, course_slug: str, course_title: str, kind: str) -> Takeaway | None:
    try:
        source: TakeawaySource = parse_takeaway(Path(path).read_text(encoding="utf-8"), path, kind)
        printable = takeaway_pdf(_CourseName(course_slug, course_title), source)
    except (OSError, UnicodeDecodeError, ContentError, PrintableTooLong):
        return None  # `content check` reports the file; officers simply do not see it
    return Takeaway(kind=kind, title=source.title, printable=printable)


def course_takeaway(content_root: Path, course_slug: str, course_title: str,
                    kind: str) -> Takeaway | None:
    """The take-away of `kind` for a course, or None when the course has none (or it is broken)."""
    if kind not in KINDS:
        return None
    path = _source(content_root, course_slug, kind)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _built(str(path), mtime, course_slug, course_title, kind)


def course_takeaways(content_root: Path, course_slug: str, course_title: str) -> list[Takeaway]:
    found = (course_takeaway(content_root, course_slug, course_title, kind) for kind in KINDS)
    return [item for item in found if item is not None]
