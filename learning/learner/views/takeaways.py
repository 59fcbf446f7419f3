"""Take-away PDFs of a course (summary, village-meeting script and poster), for signed-in readers."""
from __future__ import annotations

from flask import Response, abort, current_app
from flask_login import login_required

from learning.learner.takeaways import course_takeaway
from ..blueprint import bp
from .pages import _live_course

WEEK = 7 * 24 * 3600


@bp.get("/courses/<course_slug>/bahan/<kind>.pdf")
@login_required
def takeaway(course_slug: str, kind: str):
    course = _live_course(course_slug)
    item = course_takeaway(current_app.config["CONTENT_ROOT"], course.slug, course.title, kind)
    if item is None:
        abort(404)
    response = Response(item.printable.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{item.printable.filename}"'
    response.headers["Cache-Control"] = f"private, max-age={WEEK}"
    return response
