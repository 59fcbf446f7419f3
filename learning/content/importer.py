"""Apply a validated `Curriculum` to the database, idempotently, keyed by slugs.

Courses and modules are matched by slug, never by file name or row id. A module or quiz whose
text or metadata changed gets a new, published revision; an unchanged one gets none. The caller
commits on success and rolls back on any error, so a failed import writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from learning.extensions import db
from learning.models import Course, Module, Quiz, User
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


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _apply_course(source: CourseSource, report: ImportReport) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == source.slug))
    description_html = render_markdown(source.description).html
    values = dict(title=source.title, summary=source.summary, position=source.order,
                  validity_months=source.validity_months, description_source=source.description,
                  description_html=description_html)
    if course is None:
        course = Course(slug=source.slug, **values)
        db.session.add(course)
        db.session.flush()
        report.created.append(f"course {source.slug}")
    elif any(getattr(course, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(course, key, value)
        report.updated.append(f"course {source.slug}")
    return course


def _apply_modules(course: Course, source: CourseSource, author: User | None,
                   report: ImportReport) -> None:
    existing = {m.slug: m for m in db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id))}
    for module_source in source.modules:
        name = f"module {source.slug}/{module_source.slug}"
        module = existing.get(module_source.slug)
        fields = dict(title=module_source.title, minutes=module_source.minutes,
                      laws=module_source.laws, reviewed=module_source.reviewed,
                      source=module_source.body)
        if module is None:
            module = Module(course_id=course.id, slug=module_source.slug, title=module_source.title,
                            position=module_source.position)
            db.session.add(module)
            db.session.flush()
            report.created.append(name)
        elif module_revision_matches(latest_module_revision(module), **fields):
            if module.position != module_source.position:
                module.position = module_source.position
            report.unchanged.append(name)
            continue
        else:
            report.updated.append(name)
        module.position = module_source.position
        revision = save_module_revision(module, author=author, note="Impor kurikulum", **fields)
        publish_module_revision(module, revision)


def _apply_quizzes(curriculum: Curriculum, author: User | None, report: ImportReport) -> None:
    errors = []
    for quiz_source in curriculum.quizzes:
        doc = quiz_source.document
        course_slug, _, module_slug = doc.module_ref.partition("/")
        module = db.session.scalar(
            sa.select(Module).join(Course).where(Course.slug == course_slug,
                                                 Module.slug == module_slug))
        if module is None:
            errors.append(ContentError(quiz_source.path, meta_line(quiz_source.text, "module"),
                                       f"module '{doc.module_ref}' does not exist"))
            continue
        quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == doc.slug))
        other = db.session.scalar(sa.select(Quiz).where(Quiz.module_id == module.id))
        if other is not None and (quiz is None or other.id != quiz.id):
            errors.append(ContentError(quiz_source.path, meta_line(quiz_source.text, "module"),
                                       f"module '{doc.module_ref}' already has quiz '{other.slug}'"))
            continue
        name = f"quiz {doc.slug}"
        if quiz is None:
            quiz = Quiz(slug=doc.slug, module_id=module.id, title=doc.title)
            db.session.add(quiz)
            db.session.flush()
            report.created.append(name)
        else:
            latest = latest_quiz_revision(quiz)
            if latest is not None and latest.source == quiz_source.text and quiz.module_id == module.id:
                report.unchanged.append(name)
                continue
            quiz.module_id = module.id
            report.updated.append(name)
        revision = save_quiz_revision(quiz, doc, quiz_source.text, author, note="Impor kurikulum")
        publish_quiz_revision(quiz, revision)
    if errors:
        raise ContentErrors(errors)


def apply_curriculum(curriculum: Curriculum, author: User | None = None) -> ImportReport:
    """Create or update every course, module and quiz of `curriculum`. Adds and flushes only."""
    report = ImportReport()
    for course_source in curriculum.courses:
        course = _apply_course(course_source, report)
        _apply_modules(course, course_source, author, report)
    _apply_quizzes(curriculum, author, report)
    return report


def load_curriculum(root: Path, author: User | None = None) -> ImportReport:
    """Read the curriculum folder at `root` and apply it. Adds and flushes; the caller commits
    (or rolls back: a folder with any error raises before anything is written)."""
    return apply_curriculum(read_curriculum(root), author)
