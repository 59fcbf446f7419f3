"""The officer's pages: dashboard, course, module, marking done, and reading heartbeats."""
from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learning.admin import assignments
from learning.certificates import issuing, refresher
from learning.learner import progress
from learning.learner.reading_time import Limits
from learning.learner.next_step import next_step
from learning.learner.takeaways import course_takeaways
from learning import clock
from learning.database import begin_writing
from learning.extensions import db
from learning.models import Course, Module, utcnow
from learning.web.forms import EmptyForm
from ..blueprint import bp



def _live_course(course_slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug,
                                                       Course.published.is_(True)))
    if course is None:
        abort(404)
    return course


def _live_module(course: Course, module_slug: str) -> Module:
    module = next((m for m in course.live_modules if m.slug == module_slug), None)
    if module is None:
        abort(404)
    return module


@bp.get("/")
@login_required
def dashboard():
    today = clock.today()
    notices = refresher.learner_notices(current_user, utcnow(), today,
                                        current_app.config["REFRESHER_NOTICE_DAYS"])
    certificates = {c.course_id: c.number for c in reversed(issuing.certificates_of(current_user))
                    if c.revoked_at is None}
    progress_list = [replace(item, certificate_number=certificates.get(item.course.id))
                     for item in assignments.dashboard_progress(current_user, today)]
    steps = {item.course.id: next_step(item.course.live_modules,
                                       progress.module_states(current_user, item.course),
                                       item.resume_module)
             for item in progress_list}
    return render_template("learner/dashboard.html", notices=notices,
                           progress_list=progress_list, steps=steps)


@bp.get("/courses/<course_slug>/")
@login_required
def course(course_slug: str):
    course = _live_course(course_slug)
    states = progress.module_states(current_user, course)
    summary = progress.courses_progress(current_user, [course])[0]
    held = issuing.held_certificate(current_user, course, clock.today(),
                                   current_app.config["REFRESHER_NOTICE_DAYS"])
    takeaways = course_takeaways(current_app.config["CONTENT_ROOT"], course.slug, course.title)
    step = next_step(course.live_modules, states, summary.resume_module)
    due = assignments.assigned_due_dates(current_user).get(course.id, (None, None))[0]
    today = clock.today()
    return render_template("learner/course.html", course=course, states=states, summary=summary,
                           modules=course.live_modules, held=held, takeaways=takeaways,
                           step=step, due=due, overdue=bool(due and due < today
                                                            and step.kind != "finished"),
                           passed_quizzes=progress.passed_quiz_modules(current_user, course))


@bp.get("/courses/<course_slug>/<module_slug>")
@login_required
def module(course_slug: str, module_slug: str):
    """The module page. Everything is read and rendered in a plain read transaction; only then is
    the opening recorded, in a short write transaction of its own (on SQLite the write lock is
    held for that write alone, not while the page renders)."""
    course = _live_course(course_slug)
    module = _live_module(course, module_slug)
    modules = course.live_modules
    index = modules.index(module)
    quiz = module.quiz if module.quiz and module.quiz.published_revision_id else None
    page = render_template(
        "learner/module.html", course=course, module=module, revision=module.published_revision,
        progress_row=progress.find_progress(current_user, module), quiz=quiz, form=EmptyForm(),
        previous=modules[index - 1] if index > 0 else None,
        next_module=modules[index + 1] if index + 1 < len(modules) else None,
        position=index + 1, count=len(modules),
    )
    if not request.headers.get("X-Pimpasa-Download"):
        # fetched to be kept for reading offline is not an opening (offline.js reports that later)
        db.session.rollback()  # the reading transaction wrote nothing
        begin_writing()
        progress.record_open(current_user, module, utcnow())
        db.session.commit()
    return page


@bp.post("/courses/<course_slug>/<module_slug>/done")
@login_required
def mark_done(course_slug: str, module_slug: str):
    course = _live_course(course_slug)
    module = _live_module(course, module_slug)
    if not EmptyForm().validate():
        abort(400)
    try:
        progress.mark_done(current_user, module, utcnow(),
                           current_app.config["PROGRESS_IDLE_CAP_SECONDS"],
                           limits=Limits.from_config(current_app.config))
    except progress.CompletionRefused:
        flash(_("Modul ini selesai setelah kuisnya lulus."), "info")
        return redirect(url_for("learner.module", course_slug=course.slug, module_slug=module.slug))
    db.session.commit()
    flash(_("Modul ditandai selesai."), "success")
    following = course.live_modules
    index = following.index(module)
    if index + 1 < len(following):
        return redirect(url_for("learner.module", course_slug=course.slug,
                                module_slug=following[index + 1].slug))
    return redirect(url_for("learner.course", course_slug=course.slug))


@bp.post("/courses/<course_slug>/<module_slug>/heartbeat")
@login_required
def heartbeat(course_slug: str, module_slug: str):
    course = _live_course(course_slug)
    module = _live_module(course, module_slug)
    data = request.get_json(silent=True) or request.form
    scroll = data.get("scroll") if hasattr(data, "get") else None
    try:
        scroll = None if scroll is None else float(scroll)
    except (TypeError, ValueError):
        return jsonify(error=_("Posisi baca tidak sah.")), 400
    if scroll is not None and not 0.0 <= scroll <= 1.0:
        return jsonify(error=_("Posisi baca tidak sah.")), 400
    row = progress.record_heartbeat(current_user, module, utcnow(),
                                    current_app.config["PROGRESS_IDLE_CAP_SECONDS"], scroll,
                                    limits=Limits.from_config(current_app.config))
    db.session.commit()
    return jsonify(seconds_spent=row.seconds_spent)
