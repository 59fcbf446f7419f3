"""Read a curriculum folder (courses/ and quizzes/) into plain objects, validating everything.

Nothing here touches the database: `read_curriculum` either returns a complete, valid
`Curriculum` or raises `ContentErrors` listing every problem by file and line.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import ContentError
from .front_matter import meta_line, split_front_matter
from .glossary import Glossary, read_glossary
from .takeaways import TAKEAWAY_FILES, TakeawaySource, parse_takeaway

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
MODULE_FILE_RE = re.compile(r"^(\d{2,3})-[A-Za-z0-9_-]+\.md$")


class ContentErrors(Exception):
    """Every problem found in a curriculum; the import writes nothing when this is raised."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ModuleSource:
    path: str
    slug: str
    title: str
    minutes: int
    laws: list[str]
    reviewed: date | None
    body: str
    position: int
    sha256: str = ""  # of the whole file: what the import records as the revision's source


@dataclass
class CourseSource:
    path: str
    slug: str
    title: str
    summary: str
    order: int
    validity_months: int | None
    description: str
    modules: list[ModuleSource] = field(default_factory=list)
    takeaways: dict[str, TakeawaySource] = field(default_factory=dict)  # kind -> file


@dataclass
class QuizSource:
    path: str
    text: str
    document: object  # learning.content.quiz_format.QuizDocument


@dataclass
class Curriculum:
    courses: list[CourseSource] = field(default_factory=list)
    quizzes: list[QuizSource] = field(default_factory=list)
    glossary: Glossary | None = None  # courses/glosarium.md


def _need(meta: dict, key: str, text: str, path: str, kind: type, errors: list) -> object:
    value = meta.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors.append(ContentError(path, meta_line(text, key) if key in meta else 2,
                                   f"'{key}' is required"))
        return None
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        errors.append(ContentError(path, meta_line(text, key), f"'{key}' must be a whole number"))
        return None
    if kind is str and not isinstance(value, (str, int, float)):
        errors.append(ContentError(path, meta_line(text, key), f"'{key}' must be text"))
        return None
    return str(value).strip() if kind is str else value


def _slug(meta: dict, text: str, path: str, errors: list) -> str | None:
    slug = _need(meta, "slug", text, path, str, errors)
    if slug is not None and not SLUG_RE.match(slug):
        errors.append(ContentError(path, meta_line(text, "slug"),
                                   f"slug '{slug}' may hold only a-z, 0-9 and '-'"))
        return None
    return slug


def parse_course_file(text: str, path: str) -> CourseSource:
    errors: list[ContentError] = []
    doc = split_front_matter(text, path)
    meta = doc.meta
    slug = _slug(meta, text, path, errors)
    title = _need(meta, "title", text, path, str, errors)
    order = meta.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int):
        errors.append(ContentError(path, meta_line(text, "order"), "'order' must be a whole number"))
    validity = meta.get("validity_months")
    if validity is not None and (isinstance(validity, bool) or not isinstance(validity, int)
                                 or validity < 0):
        errors.append(ContentError(path, meta_line(text, "validity_months"),
                                   "'validity_months' must be a whole number of months"))
    if errors:
        raise ContentErrors(errors)
    return CourseSource(path=path, slug=slug, title=title, summary=str(meta.get("summary") or ""),
                        order=order, validity_months=validity or None,
                        description=doc.body.strip())


def parse_module_file(text: str, path: str, position: int) -> ModuleSource:
    errors: list[ContentError] = []
    doc = split_front_matter(text, path)
    meta = doc.meta
    slug = _slug(meta, text, path, errors)
    title = _need(meta, "title", text, path, str, errors)
    minutes = meta.get("minutes", 0)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
        errors.append(ContentError(path, meta_line(text, "minutes"),
                                   "'minutes' must be a whole number of minutes"))
    laws = meta.get("laws", [])
    if isinstance(laws, str):
        laws = [laws]
    if not isinstance(laws, list) or not all(isinstance(x, (str, int)) for x in laws):
        errors.append(ContentError(path, meta_line(text, "laws"),
                                   "'laws' must be a list of legal references"))
        laws = []
    reviewed = meta.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, date):
        errors.append(ContentError(path, meta_line(text, "reviewed"),
                                   "'reviewed' must be a date written YYYY-MM-DD"))
    if not doc.body.strip():
        errors.append(ContentError(path, doc.body_line, "the module has no text"))
    if errors:
        raise ContentErrors(errors)
    return ModuleSource(path=path, slug=slug, title=title, minutes=minutes,
                        laws=[str(x).strip() for x in laws if str(x).strip()],
                        reviewed=reviewed, body=doc.body.strip() + "\n", position=position,
                        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(path), None, "the file is not UTF-8 text") from None


def read_course_folder(folder: Path, errors: list[ContentError]) -> CourseSource | None:
    course_file = folder / "course.md"
    if not course_file.exists():
        errors.append(ContentError(str(folder), None, "course folder has no course.md"))
        return None
    try:
        course = parse_course_file(_read(course_file), str(course_file))
    except ContentError as exc:
        errors.append(exc)
        return None
    except ContentErrors as exc:
        errors.extend(exc.errors)
        return None
    seen: dict[str, str] = {}
    for name, kind in TAKEAWAY_FILES.items():
        if (folder / name).exists():
            try:
                course.takeaways[kind] = parse_takeaway(_read(folder / name), str(folder / name), kind)
            except ContentError as exc:
                errors.append(exc)
    module_files = sorted(p for p in folder.glob("*.md")
                          if p.name != "course.md" and p.name not in TAKEAWAY_FILES)
    for position, path in enumerate(module_files, start=1):
        if not MODULE_FILE_RE.match(path.name):
            errors.append(ContentError(str(path), None,
                                       "module files are named NN-<name>.md, e.g. 01-pengertian.md"))
            continue
        try:
            text = _read(path)
            module = parse_module_file(text, str(path), position)
        except ContentError as exc:
            errors.append(exc)
            continue
        except ContentErrors as exc:
            errors.extend(exc.errors)
            continue
        if module.slug in seen:
            errors.append(ContentError(str(path), meta_line(text, "slug"),
                                       f"slug '{module.slug}' is also used by {seen[module.slug]}"))
            continue
        seen[module.slug] = str(path)
        course.modules.append(module)
    return course


def read_curriculum(root: Path) -> Curriculum:
    """Read `root/courses/*/` and `root/quizzes/*/*.md`; raise ContentErrors on any problem."""
    from .quiz_format import parse_quiz  # the quiz format lives in its own module

    root = Path(root)
    errors: list[ContentError] = []
    curriculum = Curriculum()
    courses_dir = root / "courses"
    if not courses_dir.is_dir() and not (root / "quizzes").is_dir():
        raise ContentErrors([ContentError(str(root), None, "no courses/ or quizzes/ folder here")])
    course_slugs: dict[str, str] = {}
    for folder in sorted(p for p in courses_dir.glob("*") if p.is_dir()) if courses_dir.is_dir() else []:
        course = read_course_folder(folder, errors)
        if course is None:
            continue
        if course.slug in course_slugs:
            errors.append(ContentError(course.path, None,
                                       f"course slug '{course.slug}' is also used by "
                                       f"{course_slugs[course.slug]}"))
            continue
        course_slugs[course.slug] = course.path
        curriculum.courses.append(course)
    if courses_dir.is_dir():
        try:
            curriculum.glossary = read_glossary(courses_dir)
        except ContentError as exc:
            errors.append(exc)
    quiz_slugs: dict[str, str] = {}
    for path in sorted((root / "quizzes").glob("*/*.md")):
        try:
            text = _read(path)
            document = parse_quiz(text, str(path))
        except ContentError as exc:
            errors.append(exc)
            continue
        if document.slug in quiz_slugs:
            errors.append(ContentError(str(path), meta_line(text, "slug"),
                                       f"quiz slug '{document.slug}' is also used by "
                                       f"{quiz_slugs[document.slug]}"))
            continue
        quiz_slugs[document.slug] = str(path)
        curriculum.quizzes.append(QuizSource(path=str(path), text=text, document=document))
    if errors:
        raise ContentErrors(errors)
    return curriculum
