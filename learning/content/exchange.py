"""Courses as zips in exactly the `courses/` + `quizzes/` format, both ways.

Export writes the latest *published* revision of every live module and quiz of a course:
`courses/<course>/course.md`, `courses/<course>/NN-<module>.md` (front matter slug, title,
minutes, laws, reviewed) and `quizzes/<course>/<module>.md` (the quiz Markdown as saved).

Import unpacks a zip into a private temporary folder with strict limits (no absolute or `..`
paths, no links, a bounded number of files and bytes) and reads it with `read_curriculum`, so
a zip is checked by the same rules as the shipped curriculum. Errors name the file inside the
zip and the line.
"""
from __future__ import annotations

import io
import re
import stat
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

import yaml

from learning.models import Course, Module
from .curriculum import ContentErrors, Curriculum, read_curriculum
from .errors import ContentError

MAX_ZIP_MEMBERS = 500
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 2 * 1024 * 1024
JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$|\._)")
_DRIVE = re.compile(r"^[A-Za-z]:")


# --------------------------------------------------------------------------- export


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, as in the shipped files."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def front_matter(meta: dict) -> str:
    body = yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000)
    return f"---\n{body}---\n"


def course_file_text(course: Course) -> str:
    meta = {"slug": course.slug, "title": course.title, "summary": course.summary or "",
            "order": course.position}
    if course.validity_months:
        meta["validity_months"] = course.validity_months
    description = (course.description_source or "").strip()
    return front_matter(meta) + (f"{description}\n" if description else "")


def module_file_text(module: Module) -> str:
    """The module file for its published revision."""
    revision = module.published_revision
    meta = {"slug": module.slug, "title": revision.title, "minutes": revision.minutes,
            "laws": list(revision.laws or [])}
    if revision.reviewed is not None:
        meta["reviewed"] = revision.reviewed
    return front_matter(meta) + "\n" + revision.source.strip() + "\n"


def exported_modules(course: Course) -> list[Module]:
    """What an export holds: live modules (published, not retired), in course order."""
    return [m for m in course.modules if m.is_live]


def course_files(course: Course) -> dict[str, str]:
    """Relative path -> text of every file of the course in the exchange format."""
    files = {f"courses/{course.slug}/course.md": course_file_text(course)}
    modules = exported_modules(course)
    width = max(2, len(str(len(modules))))
    for number, module in enumerate(modules, start=1):
        name = f"{number:0{width}d}-{module.slug}.md"
        files[f"courses/{course.slug}/{name}"] = module_file_text(module)
        quiz = module.quiz
        if quiz is not None and quiz.published_revision is not None:
            files[f"quizzes/{course.slug}/{module.slug}.md"] = quiz.published_revision.source
    return files


def export_course_zip(course: Course, now: datetime | None = None) -> bytes:
    """The course as a zip of Markdown files (UTF-8), ready to import elsewhere."""
    stamp = (now or datetime.now(timezone.utc)).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, text in course_files(course).items():
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# --------------------------------------------------------------------------- import


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = PurePosixPath(name).parts
    if ("\\" in name or name.startswith("/") or _DRIVE.match(name) or ".." in parts
            or "\x00" in name):
        return "unsafe path in the zip (absolute, '..' or '\\'): nothing was imported"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "links are not allowed in the zip"
    if info.flag_bits & 0x1:
        return "encrypted files are not allowed in the zip"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"file larger than {MAX_MEMBER_BYTES // (1024 * 1024)} MB"
    return None


def _content_prefix(names: list[str]) -> str:
    """'' when courses/ or quizzes/ are at the top; 'x/' when the zip wraps them in one folder."""
    tops = {PurePosixPath(n).parts[0] for n in names}
    if tops & {"courses", "quizzes"} or len(tops) != 1:
        return ""
    return f"{tops.pop()}/"


def unpack_zip(data: bytes, target: Path, zip_name: str = "zip") -> tuple[str, list[str]]:
    """Extract the Markdown files of a course zip into `target`, checking every limit first.

    Returns (the wrapper folder stripped, or '', the names that were ignored). Raises
    ContentErrors naming the offending member; nothing is extracted outside `target`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise ContentErrors([ContentError(zip_name, None, "this is not a zip file")]) from None
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir() and not JUNK.search(i.filename)]
        if len(members) > MAX_ZIP_MEMBERS:
            raise ContentErrors([ContentError(zip_name, None,
                                              f"more than {MAX_ZIP_MEMBERS} files in the zip")])
        problems = [ContentError(i.filename, None, p) for i in members if (p := _member_problem(i))]
        if problems:
            raise ContentErrors(problems)
        if sum(i.file_size for i in members) > MAX_UNPACKED_BYTES:
            limit = MAX_UNPACKED_BYTES // (1024 * 1024)
            raise ContentErrors([ContentError(zip_name, None,
                                              f"the zip unpacks to more than {limit} MB")])
        prefix = _content_prefix([i.filename for i in members])
        ignored = []
        root = target.resolve()
        for info in members:
            relative = info.filename[len(prefix):] if info.filename.startswith(prefix) else ""
            parts = PurePosixPath(relative).parts
            if not relative.endswith(".md") or not parts or parts[0] not in ("courses", "quizzes"):
                ignored.append(info.filename)
                continue
            destination = (root / relative).resolve()
            if root not in destination.parents:
                raise ContentErrors([ContentError(info.filename, None, "unsafe path in the zip")])
            destination.parent.mkdir(parents=True, exist_ok=True)
            _copy_member(archive, info, destination)
    return prefix, ignored


def _copy_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path) -> None:
    """Copy one member, refusing it when it inflates past its declared size (a zip bomb)."""
    written = 0
    try:
        with archive.open(info) as source, destination.open("wb") as sink:
            while chunk := source.read(64 * 1024):
                written += len(chunk)
                if written > min(info.file_size, MAX_MEMBER_BYTES):
                    raise ContentErrors([ContentError(info.filename, None,
                                                      "the file inflates beyond its stated size")])
                sink.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        raise ContentErrors([ContentError(info.filename, None,
                                          "damaged file in the zip")]) from None


def _zip_path(path: str, root: Path, prefix: str, zip_name: str) -> str:
    """A path in the temporary folder as the name of that file inside the zip."""
    try:
        relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path
    return zip_name if relative == "." else prefix + relative


def _relocated(error: ContentError, root: Path, prefix: str, zip_name: str) -> ContentError:
    return ContentError(_zip_path(error.path, root, prefix, zip_name), error.line, error.message)


def read_course_zip(data: bytes, zip_name: str = "zip") -> tuple[Curriculum, list[str]]:
    """Read a course zip as a Curriculum (and the names of files that were ignored)."""
    with tempfile.TemporaryDirectory(prefix="pimpasa-import-") as folder:
        root = Path(folder)
        prefix, ignored = unpack_zip(data, root, zip_name)
        try:
            curriculum = read_curriculum(root)
        except ContentErrors as exc:
            raise ContentErrors([_relocated(e, root, prefix, zip_name)
                                 for e in exc.errors]) from None
        except ContentError as exc:
            raise ContentErrors([_relocated(exc, root, prefix, zip_name)]) from None
        for source in [*curriculum.courses, *(m for c in curriculum.courses for m in c.modules),
                       *curriculum.quizzes]:
            source.path = _zip_path(source.path, root, prefix, zip_name)
        return curriculum, ignored
