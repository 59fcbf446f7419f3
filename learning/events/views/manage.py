"""The organiser's pages (trainers and administrators): creating an event, inviting officers, the
QR screen, the tick list and the attendance exports."""
from __future__ import annotations

import segno
import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.extensions import db
from learning.models import Course, Office, Region, User, utcnow
from learning.web.access import staff_required
from learning.web.forms import EmptyForm
from .. import checkin, planning, roster, zones
from ..blueprint import bp
from ..forms import CancelForm, EventForm, InviteForm
from .common import download, event_or_404, refusal_message, table_download


def _office_choices(blank: str) -> list:
    rows = db.session.execute(sa.select(Office.id, Office.name).order_by(Office.name)).all()
    return [(None, blank)] + [(i, n) for i, n in rows]


def _region_choices(blank: str) -> list:
    rows = db.session.execute(sa.select(Region.id, Region.name).order_by(Region.name)).all()
    return [(None, blank)] + [(i, n) for i, n in rows]


def _speakers(text: str) -> list[tuple[str, str]]:
    result = []
    for line in (text or "").splitlines():
        name, _sep, institution = line.partition(";")
        if name.strip():
            result.append((name.strip(), institution.strip()))
    return result[:20]


def _evaluation(text: str, speakers: list[tuple[str, str]]) -> list[dict] | None:
    lines = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return None
    items = [{"key": f"butir-{n}", "kind": "open" if line.startswith("?") else "likert",
              "text": line.lstrip("? ")[:300], "speaker": None}
             for n, line in enumerate(lines[:20], start=1)]
    for index, (name, _inst) in enumerate(speakers):
        items.append({"key": f"narasumber-{index + 1}", "kind": "likert", "speaker": index,
                      "text": f"{name} menyampaikan materi dengan jelas."})
    return items


@bp.get("/events/manage", endpoint="manage_index")
@staff_required
def manage_index():
    events = planning.staff_events(current_user, limit=100)
    return render_template("events/manage_index.html", events=events, now=utcnow(),
                           counts={e.id: roster.attendance_counts(e) for e in events})


@bp.route("/events/new", methods=["GET", "POST"], endpoint="new")
@staff_required
def new_event():
    form = EventForm()
    form.office_id.choices = _office_choices(_("— pilih kantor —"))
    quizzes = [(None, _("— tanpa tes —"))] + planning.quiz_choices()
    form.pre_quiz_id.choices = form.post_quiz_id.choices = quizzes
    form.course_ids.choices = [(c.id, c.title) for c in db.session.scalars(
        sa.select(Course).order_by(Course.position, Course.title))]
    if request.method == "GET" and current_user.office is not None:
        form.office_id.data = current_user.office_id
        form.zone.data = zones.office_zone(current_user.office)
    if form.validate_on_submit():
        speakers = _speakers(form.speakers.data)
        spec = planning.NewEvent(
            title=form.title.data, day=form.day.data, start=form.start.data, end=form.end.data,
            zone=form.zone.data, place=form.place.data or "", office_id=form.office_id.data,
            jp=form.jp.data, description=form.description.data or "", speakers=speakers,
            course_ids=form.course_ids.data or [], pre_quiz_id=form.pre_quiz_id.data,
            post_quiz_id=form.post_quiz_id.data,
            evaluation=_evaluation(form.evaluation.data, speakers))
        try:
            event = planning.create_event(current_user, spec)
        except planning.EventError as exc:
            message = {"times": _("Jam selesai harus sesudah jam mulai."),
                       "title": _("Isi judul kegiatan."),
                       "jp": _("JP antara 0 dan 100.")}.get(exc.code, _("Periksa isian."))
            flash(message, "error")
        else:
            db.session.commit()
            flash(_("Kegiatan dibuat. Langkah berikutnya: undang peserta."), "success")
            return redirect(url_for("events.manage", event_id=event.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("events/new.html", form=form), status


@bp.get("/events/<int:event_id>/manage", endpoint="manage")
@staff_required
def manage(event_id: int):
    event = event_or_404(event_id)
    invite_form = InviteForm()
    invite_form.region_id.choices = _region_choices(_("— tidak —"))
    invite_form.office_id.choices = _office_choices(_("— tidak —"))
    present, invited = roster.attendance_counts(event)
    return render_template("events/manage.html", event=event, lines=roster.roster(event),
                           present=present, invited=invited, invite_form=invite_form,
                           form=EmptyForm(), now=utcnow())


@bp.get("/events/<int:event_id>/qr", endpoint="qr")
@staff_required
def qr_screen(event_id: int):
    """The screen the organiser shows in the room. It reloads itself every slot (meta refresh:
    no script needed) so the code is always the current one."""
    event = event_or_404(event_id)
    now = utcnow()
    code = checkin.current_code(event, current_app.config["SECRET_KEY"], now)
    base = (current_app.config.get("SITE_URL") or request.url_root).rstrip("/")
    url = base + url_for("events.check_in", event_id=event.id, code=code)
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    response = current_app.make_response(render_template(
        "events/qr.html", event=event, code=code, svg=svg, url=url,
        refresh=checkin.seconds_left_in_slot(now) + 1,
        window=checkin.in_session(event, now)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/events/<int:event_id>/invite", endpoint="invite")
@staff_required
def invite(event_id: int):
    event = event_or_404(event_id)
    form = InviteForm()
    form.region_id.choices = _region_choices("")
    form.office_id.choices = _office_choices("")
    if not form.validate():
        abort(400)
    ids: list[int] = []
    if form.office_id.data:
        ids += planning.officers_in(office_id=form.office_id.data)
    if form.region_id.data:
        ids += planning.officers_in(region_id=form.region_id.data)
    names = [n.strip() for n in (form.names.data or "").replace(",", "\n").splitlines()
             if n.strip()][:2000]
    unknown = []
    if names:
        found = dict(db.session.execute(sa.select(User.username, User.id).where(
            User.username.in_(names))).all())
        found.update(db.session.execute(sa.select(User.nip, User.id).where(
            User.nip.in_(names))).all())
        unknown = [n for n in names if n not in found]
        ids += planning.officers_in(user_ids=list(found.values()))
    added = planning.invite(current_user, event, ids)
    db.session.commit()
    flash(_("%(n)s petugas ditambahkan ke undangan.", n=added), "success")
    if unknown:
        flash(_("Tidak ditemukan: %(names)s", names=", ".join(unknown[:20])), "error")
    return redirect(url_for("events.manage", event_id=event.id), 303)


@bp.post("/events/<int:event_id>/attendance/<int:user_id>", endpoint="tick")
@staff_required
def tick(event_id: int, user_id: int):
    event = event_or_404(event_id)
    officer = db.session.get(User, user_id)
    if officer is None or not EmptyForm().validate():
        abort(404 if officer is None else 400)
    if request.form.get("present") == "0":
        removed = checkin.untick(current_user, event, officer)
        db.session.commit()
        if removed:
            flash(_("Kehadiran %(name)s dihapus.", name=officer.full_name), "info")
    else:
        try:
            checkin.tick(current_user, event, officer, utcnow())
        except checkin.CheckInRefused as exc:
            db.session.rollback()
            flash(refusal_message(exc.code) if exc.code != "already"
                  else _("%(name)s sudah tercatat hadir.", name=officer.full_name), "error")
        else:
            db.session.commit()
            flash(_("%(name)s dicatat hadir.", name=officer.full_name), "success")
    return redirect(url_for("events.manage", event_id=event.id) + f"#p{officer.id}", 303)


@bp.get("/events/<int:event_id>/attendance.<fmt>", endpoint="attendance_export")
@staff_required
def attendance_export(event_id: int, fmt: str):
    event = event_or_404(event_id)
    if fmt == "pdf":
        return download(roster.roster_pdf(event), "application/pdf",
                        f"daftar-hadir-{event.id}.pdf")
    return table_download(roster.roster_table(event), fmt)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"], endpoint="cancel")
@staff_required
def cancel(event_id: int):
    """Cancelling says first, in numbers, what it changes; then asks for a reason."""
    event = event_or_404(event_id)
    form = CancelForm()
    impact = planning.cancel_impact(event)
    if event.cancelled_at is None and form.validate_on_submit():
        planning.cancel_event(current_user, event, utcnow(), form.reason.data)
        db.session.commit()
        flash(_("Kegiatan dibatalkan. %(n)s peserta yang hadir tidak lagi mendapat %(jp)s JP "
                "dari kegiatan ini.", n=impact.attended, jp=impact.jp), "success")
        return redirect(url_for("events.manage", event_id=event.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("events/cancel.html", event=event, impact=impact, form=form), status
