"""`flask --app app content import-gift FILE --module <course>/<module>`: bring a Moodle GIFT
question bank in as a quiz.

The questions are converted (learning.content.gift), every question that cannot be converted is
reported by line, the quiz Markdown is written to <CONTENT_ROOT>/quizzes/<course>/<module>.md and
imported like any quiz file. The import runs in one transaction: on any error nothing is written,
neither to the database nor to the quizzes folder.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from .curriculum import ContentErrors, Curriculum, QuizSource
from .errors import ContentError
from .gift import gift_to_quiz
from .importer import FILE, ImportReport, apply_curriculum
from .quiz_format import is_module_ref, parse_quiz, quiz_to_markdown
from learning.extensions import db
from learning.models import Course, Module, Quiz


def quiz_path(content_root: Path, module_ref: str) -> Path:
    course, _, module = module_ref.partition("/")
    return Path(content_root) / "quizzes" / course / f"{module}.md"


def _defaults(module_ref: str) -> tuple[str, str]:
    """The slug and title to use when none are given: the module's existing quiz, else new ones."""
    course_slug, _, module_slug = module_ref.partition("/")
    module = db.session.scalar(sa.select(Module).join(Course).where(
        Course.slug == course_slug, Module.slug == module_slug))
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.module_id == module.id)) if module else None
    if quiz is not None:
        return quiz.slug, quiz.title
    return f"{module_slug}-kuis", f"Kuis {module.title if module else module_slug}"


@dataclass(frozen=True)
class GiftImport:
    report: ImportReport
    path: Path  # the quiz file written
    questions: int  # questions converted
    skipped: list[tuple[int, str]]  # (line, reason) of each question not converted


def import_gift(file: Path, module_ref: str, content_root: Path, *, slug: str | None = None,
                title: str | None = None, force: bool = False) -> GiftImport:
    """Convert, write and import one GIFT file; commit on success, roll back and leave the
    quizzes folder as it was on any error (ContentError / ContentErrors)."""
    if not is_module_ref(module_ref):
        raise ContentError(str(file), None,
                           f"--module '{module_ref}' must be '<course slug>/<module slug>'")
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError(str(file), None, "the file is not UTF-8 text") from None
    default_slug, default_title = _defaults(module_ref)
    document, skipped = gift_to_quiz(text, slug=slug or default_slug, module_ref=module_ref,
                                     title=title or default_title, path=str(file))
    if not document.questions:
        raise ContentError(str(file), None, "no question could be converted")
    target = quiz_path(content_root, module_ref)
    if target.exists() and not force:
        raise ContentError(str(target), None, "file exists; use --force to replace it")
    markdown = quiz_to_markdown(document)
    checked = parse_quiz(markdown, str(target))  # the file must read back as written
    previous = target.read_bytes() if target.exists() else None
    try:
        report = apply_curriculum(Curriculum(quizzes=[QuizSource(str(target), markdown, checked)]),
                                  origin=FILE, replace=(checked.slug,) if force else ())
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            target.write_bytes(previous)
        raise
    return GiftImport(report, target, len(document.questions), skipped)


@click.command("import-gift")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--module", "module_ref", required=True, help="<course slug>/<module slug>")
@click.option("--slug", default=None, help="Quiz slug (default: the module's quiz, or <module>-kuis).")
@click.option("--title", default=None, help="Quiz title (default: 'Kuis <module title>').")
@click.option("--force", is_flag=True, help="Replace an existing quiz file.")
@with_appcontext
def import_gift_command(file: Path, module_ref: str, slug: str | None, title: str | None,
                        force: bool):
    """Convert a Moodle GIFT file into a quiz for MODULE, write it to quizzes/ and import it."""
    root = Path(current_app.config["CONTENT_ROOT"])
    try:
        result = import_gift(file, module_ref, root, slug=slug, title=title, force=force)
    except (ContentErrors, ContentError) as exc:
        errors = exc.errors if isinstance(exc, ContentErrors) else [exc]
        for error in errors:
            click.echo(f"error: {error}", err=True)
        click.echo("nothing was imported.", err=True)
        sys.exit(1)
    for line, reason in result.skipped:
        click.echo(f"skipped: {file}:{line}: {reason}", err=True)
    changed = result.report.created + result.report.updated
    click.echo(f"wrote {result.path}: {result.questions} question(s) imported, "
               f"{len(result.skipped)} skipped; {', '.join(changed) or 'quiz unchanged'}")
    for conflict in result.report.conflicts:
        click.echo(f"not applied: {conflict} (use --force to replace it)", err=True)
