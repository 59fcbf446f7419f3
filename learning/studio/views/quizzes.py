"""Quizzes in the studio: edit the quiz Markdown, see errors by line, drafts, publish, history."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.studio import authoring as studio, quizzes as studio_quizzes
from learning.content.errors import ContentError
from learning.extensions import db
from learning.models import Quiz
from learning.content.revisions import latest_quiz_revision, rendered_questions
from learning.web.access import staff_required
from learning.web.bounded_input import parse_db_int
from .modules import bp, find_module
from learning.studio.forms import NewQuizForm, PublishForm, QuizForm, studio_message


def find_quiz(quiz_id: int) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        abort(404)
    return quiz


@bp.route("/modules/<int:module_id>/quiz/new", methods=["GET", "POST"])
@staff_required
def new_quiz(module_id: int):
    module = find_module(module_id)
    if module.quiz is not None:
        return redirect(url_for("studio.edit_quiz", quiz_id=module.quiz.id))
    form = NewQuizForm()
    if request.method == "GET":
        form.slug.data = f"{module.slug}-kuis"
        form.title.data = _("Kuis %(title)s", title=module.title)
        return render_template("studio/quiz_new.html", module=module, form=form)
    if form.validate():
        try:
            quiz = studio_quizzes.create_quiz(module, slug=form.slug.data, title=form.title.data,
                                              actor=current_user)
        except studio.StudioError as exc:
            form.slug.errors.append(studio_message(exc.code, exc.params))
        else:
            db.session.commit()
            flash(_("Kuis dibuat. Tulis soalnya, simpan sebagai draf, lalu terbitkan."), "success")
            return redirect(url_for("studio.edit_quiz", quiz_id=quiz.id))
    return render_template("studio/quiz_new.html", module=module, form=form), 400


def _error_context(error: ContentError, source: str) -> dict:
    lines = (source or "").replace("\r\n", "\n").split("\n")
    text = lines[error.line - 1] if error.line and 0 < error.line <= len(lines) else None
    return {"line": error.line, "message": error.message, "text": text}


def _editor(quiz: Quiz, form: QuizForm, error: ContentError | None = None, questions=None,
            status: int = 200):
    latest = latest_quiz_revision(quiz)
    return render_template(
        "studio/quiz_edit.html", quiz=quiz, module=quiz.module, course=quiz.module.course,
        form=form, latest=latest, published=quiz.published_revision,
        error=_error_context(error, form.source.data) if error else None, questions=questions,
        publish_form=PublishForm(revision=str(latest.number)) if latest else None,
        path=studio_quizzes.quiz_path(quiz.module)), status


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_quiz(quiz_id: int):
    quiz = find_quiz(quiz_id)
    form = QuizForm()
    if request.method == "GET":
        latest = latest_quiz_revision(quiz)
        form.source.data = latest.source if latest else studio_quizzes.quiz_starter_source(quiz)
        form.base.data = str(latest.number if latest else 0)
        return _editor(quiz, form)
    if not form.validate():
        return _editor(quiz, form, status=400)
    base = parse_db_int(form.base.data or "")
    try:
        if request.form.get("action") == "preview":
            document = studio_quizzes.check_quiz_source(quiz, form.source.data)
            return _editor(quiz, form, questions=rendered_questions(document))
        result = studio_quizzes.save_quiz_draft(quiz, form.source.data, current_user,
                                                note=form.note.data or "", base_number=base)
    except ContentError as exc:
        db.session.rollback()
        return _editor(quiz, form, error=exc, status=400)
    except studio.StudioError as exc:
        db.session.rollback()
        if exc.code == "conflict":
            form.base.data = str(exc.params["number"])
        flash(studio_message(exc.code, exc.params), "error")
        return _editor(quiz, form, status=409 if exc.code == "conflict" else 400)
    db.session.commit()
    if result.created:
        flash(_("Draf kuis tersimpan sebagai revisi %(n)s. Petugas belum melihatnya sampai "
                "diterbitkan.", n=result.revision.number), "success")
    else:
        flash(_("Tidak ada perubahan sejak revisi %(n)s.", n=result.revision.number), "info")
    return redirect(url_for("studio.edit_quiz", quiz_id=quiz.id))


@bp.post("/quizzes/<int:quiz_id>/publish")
@staff_required
def publish_quiz(quiz_id: int):
    quiz = find_quiz(quiz_id)
    form = PublishForm()
    number = parse_db_int(form.revision.data) if form.validate() else None
    revision = studio_quizzes.quiz_revision(quiz, number) if number is not None else None
    if revision is None:
        abort(400)
    studio_quizzes.publish_quiz(quiz, revision, current_user)
    db.session.commit()
    flash(_("Revisi kuis %(n)s diterbitkan. Percobaan baru memakai versi ini; nilai lama tidak "
            "berubah.", n=revision.number), "success")
    return redirect(url_for("studio.edit_quiz", quiz_id=quiz.id))
