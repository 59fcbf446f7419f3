"""Apply a validated `Curriculum` to the database, idempotently, keyed by slugs.

Courses and modules are matched by slug, never by file name or row id. Two ways to apply it:

* from the shipped files (`origin="file"`: every start and `flask content import`). What is
  missing is added; an item is updated only when its live revision came from the files and the
  file changed. Where a trainer has published a revision in the studio since (or edited the
  course's details there), the file is *not* applied: the item is reported as a conflict ("kept
  the studio's revision N; the file differs") unless its slug is in `replace`, in which case the
  file is published as a new revision (the history keeps the trainer's one).
* by a person (`origin="studio"`: a course zip uploaded and confirmed in the studio), which
  applies everything it holds, as that person's revisions.

The caller commits on success and rolls back on any error, so a failed import writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from learning.extensions import db
from learning.models import AuditEvent, Course, Module, Quiz, User
from .revisions import (latest_quiz_revision,
    latest_module_revision,
    module_revision_matches,
    publish_module_revision,
    publish_quiz_revision,
    save_module_revision,
    save_quiz_revision)
from .curriculum import ContentErrors, Curriculum, CourseSource, read_curriculum
from .errors import ContentError
from .front_matter import meta_line
from .rendering import render_markdown

FILE, STUDIO = "file", "studio"
IMPORT_NOTE = "Impor kurikulum"


@dataclass(frozen=True)
class Conflict:
    kind: str  # course, module, quiz
    ref: str  # slug (course/module for a module)
    target_id: int
    revision: int | None  # the studio's live revision number (None: course details)
    file_sha256: str = ""

    def __str__(self) -> str:
        kept = (f"kept the studio's revision {self.revision}" if self.revision is not None
                else "kept the details edited in the studio")
        return f"{self.kind} {self.ref}: {kept}; the file differs"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # studio revisions replaced on purpose

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return (f"{len(self.created)} created, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged, {len(self.conflicts)} kept because edited "
                f"in the studio")


@dataclass
class _Run:
    origin: str
    author: User | None
    replace: frozenset[str]
    report: ImportReport

    def from_files(self) -> bool:
        return self.origin == FILE

    def replacing(self, *refs: str) -> bool:
        return any(ref in self.replace for ref in refs)


def _course_edited_in_studio(course: Course) -> bool:
    return db.session.scalar(sa.select(AuditEvent.id).where(
        AuditEvent.target_type == "course", AuditEvent.target_id == course.id,
        AuditEvent.action.in_(("edit", "create")), AuditEvent.actor_id.is_not(None))
        .limit(1)) is not None


def _apply_course(source: CourseSource, run: _Run) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == source.slug))
    description_html = render_markdown(source.description).html
    values = dict(title=source.title, summary=source.summary, position=source.order,
                  validity_months=source.validity_months, description_source=source.description,
                  description_html=description_html)
    if course is None:
        course = Course(slug=source.slug, **values)
        db.session.add(course)
        db.session.flush()
        run.report.created.append(f"course {source.slug}")
    elif any(getattr(course, key) != value for key, value in values.items()):
        if (run.from_files() and _course_edited_in_studio(course)
                and not run.replacing(source.slug)):
            run.report.conflicts.append(Conflict("course", source.slug, course.id, None, ""))
            return course
        for key, value in values.items():
            setattr(course, key, value)
        run.report.updated.append(f"course {source.slug}")
    return course


def _live_or_latest(item, latest):
    return item.published_revision if item.published_revision is not None else latest


def _file_may_update(live, sha: str, ref: str, kind: str, target_id: int, run: _Run) -> bool:
    """Whether the file may replace `live` (which differs from it); notes a conflict if not."""
    if not run.from_files() or live is None or live.origin == FILE:
        return True
    if run.replacing(*ref.split("/"), ref):
        run.report.replaced.append(f"{kind} {ref}")
        return True
    run.report.conflicts.append(Conflict(kind, ref, target_id, live.number, sha))
    return False


def _apply_modules(course: Course, source: CourseSource, run: _Run) -> None:
    existing = {m.slug: m for m in db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id))}
    for module_source in source.modules:
        ref = f"{source.slug}/{module_source.slug}"
        name = f"module {ref}"
        module = existing.get(module_source.slug)
        fields = dict(title=module_source.title, minutes=module_source.minutes,
                      laws=module_source.laws, reviewed=module_source.reviewed,
                      source=module_source.body)
        if module is None:
            module = Module(course_id=course.id, slug=module_source.slug, title=module_source.title,
                            position=module_source.position)
            db.session.add(module)
            db.session.flush()
            run.report.created.append(name)
        else:
            live = _live_or_latest(module, latest_module_revision(module))
            same_file = (live is not None and live.origin == FILE
                         and live.file_sha256 == module_source.sha256)
            if same_file or module_revision_matches(live, **fields):
                if module.position != module_source.position and (
                        live is None or live.origin == FILE):
                    module.position = module_source.position
                run.report.unchanged.append(name)
                continue
            if not _file_may_update(live, module_source.sha256, ref, "module", module.id, run):
                continue
            run.report.updated.append(name)
        module.position = module_source.position
        revision = save_module_revision(
            module, author=run.author, note=IMPORT_NOTE, **fields,
            file_sha256=module_source.sha256 if run.from_files() else None)
        publish_module_revision(module, revision)


def _quiz_module(doc, quiz_source, errors) -> Module | None:
    course_slug, _, module_slug = doc.module_ref.partition("/")
    module = db.session.scalar(
        sa.select(Module).join(Course).where(Course.slug == course_slug,
                                             Module.slug == module_slug))
    if module is None:
        errors.append(ContentError(quiz_source.path, meta_line(quiz_source.text, "module"),
                                   f"module '{doc.module_ref}' does not exist"))
    return module


def _apply_quizzes(curriculum: Curriculum, run: _Run) -> None:
    import hashlib

    errors = []
    for quiz_source in curriculum.quizzes:
        doc = quiz_source.document
        module = _quiz_module(doc, quiz_source, errors)
        if module is None:
            continue
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == doc.slug))
        other = db.session.scalar(sa.select(Quiz).where(Quiz.module_id == module.id))
        if other is not None and (quiz is None or other.id != quiz.id):
            errors.append(ContentError(quiz_source.path, meta_line(quiz_source.text, "module"),
                                       f"module '{doc.module_ref}' already has quiz '{other.slug}'"))
            continue
        name = f"quiz {doc.slug}"
        sha = hashlib.sha256(quiz_source.text.encode("utf-8")).hexdigest()
        if quiz is None:
            quiz = Quiz(slug=doc.slug, module_id=module.id, title=doc.title)
            db.session.add(quiz)
            db.session.flush()
            run.report.created.append(name)
        else:
            live = _live_or_latest(quiz, latest_quiz_revision(quiz))
            if live is not None and live.source == quiz_source.text and quiz.module_id == module.id:
                run.report.unchanged.append(name)
                continue
            if not _file_may_update(live, sha, doc.slug, "quiz", quiz.id, run):
                continue
            quiz.module_id = module.id
            run.report.updated.append(name)
        revision = save_quiz_revision(quiz, doc, quiz_source.text, run.author, note=IMPORT_NOTE,
                                      file_sha256=sha if run.from_files() else None)
        publish_quiz_revision(quiz, revision)
    if errors:
        raise ContentErrors(errors)


def apply_curriculum(curriculum: Curriculum, author: User | None = None, *,
                     origin: str = STUDIO, replace=()) -> ImportReport:
    """Create or update the courses, modules and quizzes of `curriculum` (see the module
    docstring for `origin` and `replace`). Adds and flushes only."""
    run = _Run(origin, author, frozenset(replace), ImportReport())
    for course_source in curriculum.courses:
        course = _apply_course(course_source, run)
        _apply_modules(course, course_source, run)
    _apply_quizzes(curriculum, run)
    return run.report


def load_curriculum(root: Path, author: User | None = None, replace=()) -> ImportReport:
    """Read the shipped curriculum folder at `root` and apply it as files. Adds and flushes; the
    caller commits (or rolls back: a folder with any error raises before anything is written)."""
    return apply_curriculum(read_curriculum(root), author, origin=FILE, replace=replace)
