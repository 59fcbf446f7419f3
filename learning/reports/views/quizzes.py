"""Quiz reports: the overview of every quiz and the item analysis of one, with downloads."""
from __future__ import annotations

from flask import abort, current_app, render_template
from learning import reports
from learning.clock import app_timezone
from learning.extensions import db
from learning.models import Quiz
from ..blueprint import bp
from learning.web.access import staff_required
from .common import (download, read_filter, read_int)


# --------------------------------------------------------------------------- quizzes


@bp.get("/quizzes")
@staff_required
def quizzes():
    report = read_filter()
    return render_template("reports/quizzes.html", table=_quiz_overview(report), report=report,
                           courses=reports.published_courses())


def _quiz_overview(report: reports.ReportFilter) -> reports.ReportTable:
    start, end = report.bounds(app_timezone())
    return reports.quiz_overview(start, end, report.course_id)


@bp.get("/quizzes/export.<fmt>")
@staff_required
def quizzes_export(fmt: str):
    return download(_quiz_overview(read_filter()), fmt)


def _quiz_analysis(quiz_id: int):
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    report = read_filter()
    choices = reports.quiz_revisions(quiz)
    wanted = read_int("revision")
    chosen = None
    if wanted is not None:
        chosen = next((c for c in choices if c.revision.number == wanted), None)
        if chosen is None:
            abort(404)
    else:
        chosen = next((c for c in choices if c.revision.id == quiz.published_revision_id),
                      choices[0] if choices else None)
    if chosen is None:
        return quiz, report, choices, None, None
    start, end = report.bounds(app_timezone())
    config = current_app.config
    analysis = reports.item_analysis(
        chosen.revision, start=start, end=end,
        threshold=config["ITEM_DISCRIMINATION_THRESHOLD"],
        min_attempts=config["ITEM_ANALYSIS_MIN_ATTEMPTS"])
    return quiz, report, choices, chosen, analysis


@bp.get("/quizzes/<int:quiz_id>")
@staff_required
def quiz(quiz_id: int):
    quiz, report, choices, chosen, analysis = _quiz_analysis(quiz_id)
    studio = "studio.edit_quiz"
    return render_template("reports/quiz.html", quiz=quiz, report=report, choices=choices,
                           chosen=chosen, analysis=analysis, studio=studio,
                           threshold=current_app.config["ITEM_DISCRIMINATION_THRESHOLD"])


@bp.get("/quizzes/<int:quiz_id>/export.<fmt>")
@staff_required
def quiz_export(quiz_id: int, fmt: str):
    quiz, _report, _choices, chosen, analysis = _quiz_analysis(quiz_id)
    if analysis is None:
        abort(404)
    return download(analysis.table, fmt, quiz.slug, f"r{chosen.revision.number}")
