"""Taking a quiz: the intro page, the attempt page (save, autosave, submit) and the result.

Thin adapters over learning.quizzes.quizzing: parse, call, commit once, render. Only the owner of an
attempt may see it or post to it; anyone else gets 404.
"""
from __future__ import annotations

import random

import sqlalchemy as sa
from flask import (abort, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from learning import clock
from learning.certificates import issuing
from learning.learner import progress
from learning.learner.next_step import FINISHED, next_step
from learning.quizzes import quizzing
from learning.quizzes.answer_sheet import BadAnswer, sheet
from learning.quizzes.review import review_attempt
from learning.database import writes
from learning.extensions import db
from learning.models import Attempt, Course, Module, Quiz, utcnow
from learning.models.attempts import OPEN
from learning.web.errors import render_error
from learning.web.forms import EmptyForm
from .rescue import rescue, rescue_token, take_kept_answers, wants_json
from ..blueprint import bp

_rng = random.SystemRandom()


def _bad_answer_message(error: BadAnswer) -> str:
    if error.code == "too_long":
        return _("Jawaban terlalu panjang.")
    if error.code == "control":
        return _("Jawaban berisi karakter kendali (misalnya NUL) yang tidak diterima. Hapus "
                 "karakter itu lalu simpan lagi.")
    if error.code == "bad_choice":
        return _("Pilihan jawaban ini tidak ada pada soal. Muat ulang halaman lalu pilih lagi.")
    return _("Jawaban tidak dapat dibaca. Muat ulang halaman lalu coba lagi.")


def _quiz_of(course_slug: str, module_slug: str) -> tuple[Course, Module, Quiz]:
    module = db.session.scalar(sa.select(Module).join(Course).where(
        Course.slug == course_slug, Course.published.is_(True), Module.slug == module_slug))
    if module is None or not module.is_live or module.quiz is None \
            or module.quiz.published_revision_id is None:
        abort(404)
    return module.course, module, module.quiz


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


def _result_url(attempt: Attempt) -> str:
    return url_for("quiz.result", attempt_id=attempt.id)


@bp.app_template_filter("quiz_percent")
def quiz_percent(value) -> str:
    return format_decimal(value or 0, "#,##0.#") + "%"


@bp.app_template_filter("quiz_points")
def quiz_points(value) -> str:
    return format_decimal(value or 0, "#,##0.##")


# --------------------------------------------------------------------------- intro


@bp.route("/courses/<course_slug>/<module_slug>/quiz", methods=["GET", "POST"], endpoint="start")
@login_required
@writes
def start(course_slug: str, module_slug: str):
    course, module, quiz = _quiz_of(course_slug, module_slug)
    user = current_user._get_current_object()
    now = utcnow()
    quizzing.expire_overdue(user, quiz, now)
    status = 200
    if request.method == "POST":
        if not EmptyForm().validate():
            abort(400)
        try:
            started = quizzing.start_attempt(user, quiz, now, _rng)
        except quizzing.AttemptsExhausted as exc:
            flash(_("Kesempatan mengerjakan kuis ini sudah habis (%(n)s dari %(n)s percobaan "
                    "terpakai).", n=exc.allowed), "error")
            status = 409
        else:
            db.session.commit()
            return redirect(url_for("quiz.attempt", attempt_id=started.attempt.id), 303)
    standing = quizzing.quiz_record(user, quiz)
    db.session.commit()
    return render_template("quiz/start.html", course=course, module=module, quiz=quiz,
                           revision=standing.revision, standing=standing, form=EmptyForm()), status


# --------------------------------------------------------------------------- the attempt


def _apply_kept_answers(attempt: Attempt, now) -> None:
    """Answers kept when a save or submit arrived with an expired session or form token."""
    kept = take_kept_answers(attempt.id)
    if kept is None:
        return
    try:
        quizzing.save_answers(attempt, kept["fields"], now, partial=not kept.get("complete"))
    except quizzing.AttemptClosed:
        flash(_("Jawaban yang tertunda tidak disimpan: percobaan ini sudah dikirim."), "error")
    except quizzing.DeadlinePassed:
        flash(_("Jawaban yang tertunda tidak disimpan: waktu mengerjakan sudah habis."), "error")
    except BadAnswer:
        flash(_("Jawaban yang tertunda tidak dapat dibaca lagi dan tidak disimpan. Periksa "
                "jawaban Anda di halaman ini."), "error")
    else:
        message = _("Jawaban yang Anda isi sebelum sesi berakhir sudah dipulihkan dan disimpan.")
        if kept.get("submit"):
            message += " " + _("Jawaban belum dikirim: periksa, lalu tekan “Kirim jawaban”.")
        flash(message, "success")


def _render_attempt(attempt: Attempt, errors: dict[int, str] | None = None, status: int = 200,
                    unanswered: list[int] | None = None):
    pairs = quizzing.attempt_questions(attempt)
    questions = sheet(pairs, quizzing.saved_responses(attempt))
    module = attempt.quiz.module
    remaining = (max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
                 if attempt.deadline_at else None)
    return render_template("quiz/attempt.html", attempt=attempt, quiz=attempt.quiz, module=module,
                           course=module.course, questions=questions, errors=errors or {},
                           revision=attempt.revision, remaining=remaining,
                           rescue_token=rescue_token(attempt), unanswered=unanswered or []), status


@bp.get("/quiz/attempts/<int:attempt_id>", endpoint="attempt")
@login_required
@writes
def attempt_page(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if attempt.status == OPEN:
        _apply_kept_answers(attempt, now)
    if attempt.status == OPEN and quizzing.is_overdue(attempt, now):
        quizzing.submit_attempt(attempt, now)
        flash(_("Waktu mengerjakan sudah habis. Jawaban yang tersimpan sebelum batas waktu "
                "sudah dinilai."), "info")
    db.session.commit()
    if attempt.status != OPEN:
        return redirect(_result_url(attempt))
    return _render_attempt(attempt)


def _closed(attempt: Attempt, message: str):
    """A post to a submitted attempt: refused, nothing changed."""
    result_url = _result_url(attempt)
    db.session.rollback()
    if wants_json():
        return jsonify(error=message, result_url=result_url), 409
    flash(message, "error")
    return redirect(result_url, 303)


@bp.post("/quiz/attempts/<int:attempt_id>", endpoint="post_attempt")
def post_attempt(attempt_id: int):
    """"Simpan" saves the page without JavaScript; "Kirim jawaban" saves and submits."""
    if not current_user.is_authenticated:
        return rescue(attempt_id) or abort(400)
    attempt = _own_attempt(attempt_id)
    action = request.form.get("action", "save")
    if action not in ("save", "submit", "submit-anyway"):
        abort(400)
    confirmed = action == "submit-anyway"
    action = "submit" if confirmed else action
    now = utcnow()
    try:
        saved = quizzing.save_answers(attempt, request.form, now)
    except BadAnswer as exc:
        db.session.rollback()
        return _render_attempt(attempt, {exc.number or 0: _bad_answer_message(exc)}, 400)
    except quizzing.AttemptClosed:
        if action == "submit":  # a double click or a resend: the one result stands
            db.session.rollback()
            return _submitted(attempt, graded_now=False)
        return _closed(attempt, _("Percobaan ini sudah dikirim; jawabannya tidak dapat diubah lagi."))
    except quizzing.DeadlinePassed:
        quizzing.submit_attempt(attempt, now)
        db.session.commit()
        message = _("Waktu mengerjakan sudah habis. Jawaban yang tersimpan sebelum batas waktu "
                    "sudah dinilai; jawaban yang dikirim sesudahnya tidak dihitung.")
        if wants_json():
            return jsonify(error=message, result_url=_result_url(attempt)), 409
        flash(message, "info")
        return redirect(_result_url(attempt), 303)
    if action == "submit" and not confirmed and not wants_json():
        blank = [q.number for q in sheet(quizzing.attempt_questions(attempt),
                                         quizzing.saved_responses(attempt)) if not q.answered]
        if blank:  # saved, not sent: the officer confirms sending with questions left blank
            db.session.commit()
            return _render_attempt(attempt, unanswered=blank)
    if action == "submit":
        outcome = quizzing.submit_attempt(attempt, now)
        db.session.commit()
        return _submitted(outcome.attempt, outcome.graded_now)
    db.session.commit()
    for number in saved.conflicts:
        flash(_("Soal %(n)s: satu nomor urutan dipilih untuk dua butir. Periksa lagi urutannya.",
                n=number), "error")
    flash(_("Jawaban tersimpan."), "success")
    return redirect(url_for("quiz.attempt", attempt_id=attempt.id), 303)


def _submitted(attempt: Attempt, graded_now: bool):
    if wants_json():
        return jsonify(submitted=True, graded_now=graded_now, result_url=_result_url(attempt))
    if graded_now:
        flash(_("Jawaban Anda sudah dikirim dan dinilai."), "success")
    else:
        flash(_("Jawaban ini sudah dikirim sebelumnya; hasilnya tidak berubah."), "info")
    return redirect(_result_url(attempt), 303)


@bp.post("/quiz/attempts/<int:attempt_id>/answers", endpoint="autosave")
def autosave(attempt_id: int):
    """JSON autosave from quiz.js: {"answers": {field name: [values]}}; only the questions named
    are touched."""
    data = request.get_json(silent=True)
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        return jsonify(error=_("Data jawaban tidak sah.")), 400
    if not current_user.is_authenticated:
        return rescue(attempt_id) or (jsonify(error=_("Data jawaban tidak sah.")), 400)
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    try:
        saved = quizzing.save_answers(attempt, answers, now, partial=True)
    except BadAnswer as exc:
        db.session.rollback()
        return jsonify(error=_bad_answer_message(exc), question=exc.number), 400
    except quizzing.AttemptClosed:
        return _closed(attempt, _("Percobaan ini sudah dikirim; jawabannya tidak dapat diubah lagi."))
    except quizzing.DeadlinePassed:
        db.session.rollback()
        return jsonify(error=_("Waktu mengerjakan sudah habis; jawaban ini tidak disimpan."),
                       result_url=url_for("quiz.attempt", attempt_id=attempt.id)), 409
    db.session.commit()
    return jsonify(saved=True, changed=saved.changed, conflicts=saved.conflicts,
                   saved_at=now.isoformat())


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    """An expired or missing form token on an attempt keeps the answers (see quiz_rescue)."""
    attempt_id = (request.view_args or {}).get("attempt_id")
    if request.endpoint in ("quiz.post_attempt", "quiz.autosave") and attempt_id is not None:
        response = rescue(attempt_id)
        if response is not None:
            return response
    return render_error(400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu "
                               "kirim lagi."))


# --------------------------------------------------------------------------- the result


@bp.get("/quiz/attempts/<int:attempt_id>/result", endpoint="result")
@login_required
@writes
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    now = utcnow()
    if attempt.status == OPEN and quizzing.is_overdue(attempt, now):
        quizzing.submit_attempt(attempt, now)
    db.session.commit()
    if attempt.status == OPEN:
        return redirect(url_for("quiz.attempt", attempt_id=attempt.id))
    quiz = attempt.quiz
    standing = quizzing.quiz_record(current_user, quiz)
    review = review_attempt(attempt, quizzing.answers_revealed(standing))
    module = quiz.module
    course = module.course
    live, states = course.live_modules, progress.module_states(current_user, course)
    # after a quiz, the course goes on with the next module not done yet (then back to any skipped)
    later = live[live.index(module) + 1:] if module in live else []
    step = next_step(live, states, next((m for m in later if states.get(m.id) != progress.DONE), None))
    held = (issuing.held_certificate(current_user, course, clock.today(),
                                     current_app.config["REFRESHER_NOTICE_DAYS"])
            if step.kind == FINISHED else None)
    return render_template("quiz/result.html", attempt=attempt, quiz=quiz, module=module,
                           course=course, review=review, standing=standing, step=step,
                           held=held, revision=attempt.revision, form=EmptyForm())
