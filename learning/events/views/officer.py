"""The officer's pages: my events and JP, an event page, check-in (scanned, typed or queued on a
phone without signal), the pre- and post-test, and the evaluation."""
from __future__ import annotations

import random
from datetime import datetime, timezone

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learning import clock
from learning.extensions import db
from learning.models import utcnow
from learning.quizzes.answer_sheet import BadAnswer
from learning.web.forms import EmptyForm
from .. import checkin, evaluation, event_tests, jp, planning, zones
from ..blueprint import bp
from ..event_certificate import attendance_certificate_pdf
from ..forms import CodeForm
from .common import download, event_or_404, refusal_message

_rng = random.SystemRandom()


def _participant_event(event_id: int):
    """The event, for an invited officer or a member of staff (404 for anyone else)."""
    event = event_or_404(event_id)
    if not current_user.is_staff and not planning.is_invited(event, current_user):
        abort(404)
    return event


@bp.get("/events/", endpoint="index")
@login_required
def index():
    now = utcnow()
    year = clock.today().year
    return render_template("events/index.html", items=planning.officer_events(current_user, now),
                           year=year, earned=jp.jp_total(current_user, year), target=jp.TARGET,
                           now=now)


@bp.get("/events/<int:event_id>", endpoint="event")
@login_required
def event_page(event_id: int):
    event = _participant_event(event_id)
    attendance = checkin.attendance_of(event, current_user)
    tests = {phase: (event_tests.quiz_for(event, phase),
                     event_tests.attempt_of(event, current_user, phase))
             for phase in event_tests.PHASES}
    return render_template("events/event.html", event=event, attendance=attendance, tests=tests,
                           evaluated=evaluation.has_evaluated(event, current_user),
                           jp_earned=jp.event_counts_for(event, current_user),
                           code_form=CodeForm(), now=utcnow(),
                           window=checkin.in_session(event, utcnow()))


def _check_in(event, code: str, **queued):
    try:
        result = checkin.check_in(event, current_user, code, current_app.config["SECRET_KEY"],
                                  utcnow(), **queued)
    except checkin.CheckInRefused as exc:
        db.session.rollback()
        return None, exc.code
    db.session.commit()
    return result, None


@bp.route("/events/<int:event_id>/check-in", methods=["GET", "POST"], endpoint="check_in")
@login_required
def check_in(event_id: int):
    """GET: what the QR code opens (one button to confirm; a GET never records anything).
    POST: the confirmation, or a code typed on the event page."""
    event = event_or_404(event_id)
    form = CodeForm()
    if request.method == "GET":
        form.code.data = request.args.get("code", "")[:40]
        return render_template("events/check_in.html", event=event, form=form,
                               attendance=checkin.attendance_of(event, current_user))
    if not form.validate():
        flash(_("Isi kode yang tertera di bawah kode QR."), "error")
        return redirect(url_for("events.event", event_id=event.id), 303)
    result, refused = _check_in(event, form.code.data)
    if refused:
        flash(refusal_message(refused), "error")
        status_url = url_for("events.check_in", event_id=event.id)
        if refused in ("not_invited",):
            return redirect(status_url, 303)
        return redirect(url_for("events.event", event_id=event.id)
                        if planning.is_invited(event, current_user) else status_url, 303)
    flash(_("Kehadiran Anda tercatat pukul %(time)s.",
            time=_wall(result.attendance.checked_in_at, event)), "success")
    return redirect(url_for("events.event", event_id=event.id), 303)


def _wall(moment, event) -> str:
    return zones.wall_clock(moment, event.timezone)


@bp.post("/events/<int:event_id>/check-in/queued", endpoint="check_in_queued")
@login_required
def check_in_queued(event_id: int):
    """A check-in the phone queued without signal: JSON {code, scanned_at (ms since epoch),
    officer (user id)}. Answers JSON; 409 with the reason when refused (the phone then drops it
    and shows the message)."""
    event = event_or_404(event_id)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    code, scanned, officer = data.get("code"), data.get("scanned_at"), data.get("officer")
    if not isinstance(code, str) or isinstance(scanned, bool) \
            or not isinstance(scanned, (int, float)) or isinstance(officer, bool) \
            or not isinstance(officer, int):
        abort(400)
    try:
        scanned_at = datetime.fromtimestamp(scanned / 1000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        abort(400)
    result, refused = _check_in(event, code[:40], scanned_at=scanned_at, scanned_for=officer)
    if refused:
        status = 200 if refused == "already" else 409
        return jsonify(ok=refused == "already", reason=refused,
                       message=refusal_message(refused)), status
    return jsonify(ok=True, checked_in_at=result.attendance.checked_in_at.isoformat(),
                   message=_("Kehadiran Anda tercatat pukul %(time)s.",
                             time=_wall(result.attendance.checked_in_at, event))), 201


@bp.route("/events/<int:event_id>/test/<phase>", methods=["GET", "POST"], endpoint="test")
@login_required
def test(event_id: int, phase: str):
    event = _participant_event(event_id)
    if phase not in event_tests.PHASES or event_tests.quiz_for(event, phase) is None:
        abort(404)
    if phase == event_tests.POST and checkin.attendance_of(event, current_user) is None:
        flash(_("Post-test dibuka setelah Anda tercatat hadir."), "error")
        return redirect(url_for("events.event", event_id=event.id), 303)
    try:
        attempt = event_tests.start(event, current_user, phase, utcnow(), _rng)
    except event_tests.TestUnavailable:
        db.session.rollback()
        flash(_("Pre-test ditutup karena Anda sudah memulai post-test."), "error")
        return redirect(url_for("events.event", event_id=event.id), 303)
    if request.method == "POST":
        if not EmptyForm().validate():
            abort(400)
        try:
            event_tests.submit(attempt, request.form, utcnow())
        except event_tests.TestClosed:
            db.session.rollback()
            flash(_("Tes ini sudah dikirim; nilainya tidak berubah."), "info")
        except BadAnswer:
            db.session.rollback()
            abort(400)
        else:
            db.session.commit()
            score = format_decimal(attempt.percent or 0, "#,##0.#") + "%"
            flash(_("Jawaban terkirim. Nilai Anda %(p)s.", p=score), "success")
        return redirect(url_for("events.event", event_id=event.id), 303)
    db.session.commit()
    if attempt.submitted_at is not None:
        return redirect(url_for("events.event", event_id=event.id))
    return render_template("events/test.html", event=event, phase=phase, attempt=attempt,
                           questions=event_tests.answer_sheet_of(attempt), form=EmptyForm())


@bp.route("/events/<int:event_id>/evaluation", methods=["GET", "POST"], endpoint="evaluate")
@login_required
def evaluate(event_id: int):
    event = _participant_event(event_id)
    if checkin.attendance_of(event, current_user) is None:
        flash(_("Evaluasi diisi oleh peserta yang hadir."), "error")
        return redirect(url_for("events.event", event_id=event.id), 303)
    if evaluation.has_evaluated(event, current_user):
        flash(_("Terima kasih, evaluasi Anda sudah tersimpan."), "info")
        return redirect(url_for("events.event", event_id=event.id), 303)
    missing: list[str] = []
    if request.method == "POST":
        if not EmptyForm().validate():
            abort(400)
        try:
            evaluation.submit(event, current_user, request.form)
        except evaluation.EvaluationRefused as exc:
            db.session.rollback()
            missing = exc.missing
            flash(_("Beri nilai 1–5 pada setiap pernyataan.") if exc.code == "incomplete"
                  else _("Evaluasi Anda sudah tersimpan sebelumnya."), "error")
        else:
            db.session.commit()
            flash(_("Terima kasih, evaluasi Anda tersimpan tanpa nama."), "success")
            return redirect(url_for("events.event", event_id=event.id), 303)
    return render_template("events/evaluate.html", event=event, form=EmptyForm(),
                           missing=missing, posted=request.form), 400 if missing else 200


@bp.get("/events/<int:event_id>/certificate.pdf", endpoint="certificate")
@login_required
def certificate(event_id: int):
    """The officer's certificate of attendance, stating the JP (once the JP counts)."""
    event = _participant_event(event_id)
    if not jp.event_counts_for(event, current_user):
        abort(404)
    body = attendance_certificate_pdf(event, current_user)
    return download(body, "application/pdf", f"sertifikat-kegiatan-{event.id}.pdf")
