"""`flask --app app media ...`: smaller image copies for pages saved before they existed."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from learning.extensions import db
from learning.models import Course, ModuleRevision
from .variants import with_srcset

media_cli = AppGroup("media", help="Image copies for phones.")


def offer_copies() -> tuple[int, int]:
    """Give the stored HTML of every module revision and course description a srcset for its
    images (only attributes are added: the text and the pictures stay as they are).
    Returns (revisions changed, courses changed); the caller commits."""
    revisions = courses = 0
    for revision in db.session.scalars(sa.select(ModuleRevision)
                                       .where(ModuleRevision.html.contains("/media/"))):
        html = with_srcset(revision.html)
        if html != revision.html:
            revision.html, revisions = html, revisions + 1
    for course in db.session.scalars(sa.select(Course)
                                     .where(Course.description_html.contains("/media/"))):
        html = with_srcset(course.description_html)
        if html != course.description_html:
            course.description_html, courses = html, courses + 1
    return revisions, courses


@media_cli.command("copies")
def copies_command():
    """Offer 360 and 720 px copies (srcset) in pages saved before copies existed."""
    revisions, courses = offer_copies()
    db.session.commit()
    click.echo(f"{revisions} module revision(s) and {courses} course description(s) now offer "
               "smaller image copies; text and pictures unchanged.")
