"""`flask --app app content export COURSE PATH`: a course as the same zip the studio's
"Ekspor kursus" gives (learning.content.exchange), for scripts and backups of one course."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from learning.extensions import db
from learning.models import Course
from .exchange import export_course_zip


@click.command("export")
@click.argument("course_slug", metavar="COURSE")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@with_appcontext
def export_command(course_slug: str, path: Path, force: bool):
    """Write COURSE (its slug) as a zip of Markdown files to PATH: its published modules and
    quizzes in the courses/ + quizzes/ format, ready for `content import` or the studio's import."""
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug))
    if course is None:
        slugs = ", ".join(db.session.scalars(sa.select(Course.slug).order_by(Course.slug)))
        raise click.ClickException(f"no course '{course_slug}'. Courses: {slugs or 'none yet'}.")
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; add --force to replace it.")
    data = export_course_zip(course)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    click.echo(f"wrote {path} ({len(data) // 1024 + 1} KB): course {course.slug}")
