"""Quizzes in the studio: edit the quiz Markdown, see errors by line, drafts, publish, history."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.studio import authoring as studio, diff as revision_diff, quizzes as studio_quizzes
from learning.content.errors import ContentError
from learning.extensions import db
from learning.models import Quiz
from learning.content.revisions import latest_quiz_revision, rendered_questions
from learning.web.access import staff_required
from learning.web.forms import EmptyForm
from .modules import bp, find_module
from learning.studio.forms import FIELD_LABELS, NewQuizForm, PublishForm, QuizForm, studio_message
from .history import diff_numbers, requested_pair


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
    base = int(form.base.data) if (form.base.data or "").isdigit() else None
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
    revision = (studio_quizzes.quiz_revision(quiz, int(form.revision.data))
                if form.validate() and form.revision.data.isdigit() else None)
    if revision is None:
        abort(400)
    studio_quizzes.publish_quiz(quiz, revision, current_user)
    db.session.commit()
    flash(_("Revisi kuis %(n)s diterbitkan. Percobaan baru memakai versi ini; nilai lama tidak "
            "berubah.", n=revision.number), "success")
    return redirect(url_for("studio.edit_quiz", quiz_id=quiz.id))


@bp.get("/quizzes/<int:quiz_id>/history")
@staff_required
def quiz_history(quiz_id: int):
    quiz = find_quiz(quiz_id)
    revisions = studio_quizzes.quiz_revisions(quiz)
    default_from, default_to = diff_numbers(revisions, quiz.published_revision_id)
    return render_template(
        "studio/history.html", kind="quiz", owner=quiz, title=quiz.title, revisions=revisions,
        published_id=quiz.published_revision_id, default_from=default_from,
        default_to=default_to, form=EmptyForm(), diff_endpoint="studio.quiz_diff",
        view_endpoint="studio.quiz_revision", restore_endpoint="studio.restore_quiz_revision",
        edit_url=url_for("studio.edit_quiz", quiz_id=quiz.id), id_arg={"quiz_id": quiz.id})


@bp.get("/quizzes/<int:quiz_id>/diff")
@staff_required
def quiz_diff(quiz_id: int):
    quiz = find_quiz(quiz_id)
    revisions = studio_quizzes.quiz_revisions(quiz)
    if not revisions:
        return redirect(url_for("studio.quiz_history", quiz_id=quiz.id))
    old_number, new_number = requested_pair(revisions, quiz.published_revision_id)
    old = studio_quizzes.quiz_revision(quiz, old_number)
    new = studio_quizzes.quiz_revision(quiz, new_number)
    if old is None or new is None:
        abort(404)
    return render_template(
        "studio/diff.html", kind="quiz", owner=quiz, title=quiz.title,
        diff=revision_diff.quiz_diff(old, new), old=old, new=new, revisions=revisions,
        field_labels=FIELD_LABELS, history_url=url_for("studio.quiz_history", quiz_id=quiz.id),
        diff_url=url_for("studio.quiz_diff", quiz_id=quiz.id))


@bp.get("/quizzes/<int:quiz_id>/revisions/<int:number>")
@staff_required
def quiz_revision(quiz_id: int, number: int):
    quiz = find_quiz(quiz_id)
    revision = studio_quizzes.quiz_revision(quiz, number)
    if revision is None:
        abort(404)
    return render_template("studio/quiz_revision.html", quiz=quiz, revision=revision,
                           published=revision.id == quiz.published_revision_id, form=EmptyForm())


@bp.post("/quizzes/<int:quiz_id>/revisions/<int:number>/restore")
@staff_required
def restore_quiz_revision(quiz_id: int, number: int):
    quiz = find_quiz(quiz_id)
    revision = studio_quizzes.quiz_revision(quiz, number)
    if revision is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    try:
        restored = studio_quizzes.restore_quiz_revision(quiz, revision, current_user)
    except ContentError as exc:
        db.session.rollback()
        flash(_("Revisi %(n)s tidak dapat dipulihkan: baris %(line)s: %(message)s",
                n=revision.number, line=exc.line or "-", message=exc.message), "error")
        return redirect(url_for("studio.quiz_history", quiz_id=quiz.id))
    db.session.commit()
    flash(_("Revisi kuis %(old)s dipulihkan sebagai draf baru (revisi %(new)s). Terbitkan agar "
            "petugas memakainya.", old=revision.number, new=restored.number), "success")
    return redirect(url_for("studio.edit_quiz", quiz_id=quiz.id))
