"""Assignment pages of the administration (/admin/assignments): assign a course to everyone, a
region, an office or chosen officers with an optional due date; change a due date; remove an
assignment. Administrators only (the blueprint checks it)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from learning.admin import assignments
from learning.admin.assignments import AssignmentError
from learning.clock import today
from learning.extensions import db
from learning.models import Assignment, Course, Office, Region
from .organisation import bp
from learning.admin.forms import AssignmentForm, DueDateForm
from learning.admin.messages import message
from learning.web.forms import EmptyForm
from learning.web.bounded_input import parse_db_int


def _parse_date(field) -> tuple[bool, date | None]:
    text = (field.data or "").strip()
    if not text:
        return True, None
    try:
        return True, date.fromisoformat(text)
    except ValueError:
        field.errors = list(field.errors) + [_("Tanggal harus berformat TTTT-BB-HH.")]
        return False, None


def _form() -> AssignmentForm:
    form = AssignmentForm()
    form.course_id.choices = [(0, _("— pilih kursus —"))] + [
        (c.id, c.title) for c in db.session.scalars(
            sa.select(Course).where(Course.published.is_(True))
            .order_by(Course.position, Course.title))]
    form.region_id.choices = [(0, _("— pilih Kanwil —"))] + [
        (r.id, r.name) for r in db.session.scalars(sa.select(Region).order_by(Region.name))]
    form.office_id.choices = [(0, _("— pilih kantor —"))] + [
        (o.id, f"{o.name} ({o.code})")
        for o in db.session.scalars(sa.select(Office).order_by(Office.name))]
    return form


def _error(form: AssignmentForm, exc: AssignmentError) -> None:
    field = {"course": form.course_id, "region": form.region_id, "office": form.office_id,
             "officers": form.officers, "due_date": form.due_date,
             "newcomer_days": form.newcomer_days,
             "scope": form.scope}.get(exc.field or "", form.scope)
    field.errors = list(field.errors) + [message(exc.code, exc.params)]


def _validated_due_date(form) -> tuple[bool, date | None]:
    """Validate `form`, then read its due date: (all valid, the date). The date's message is
    added after validation, which starts every field's errors afresh."""
    valid = form.validate()
    ok, due = _parse_date(form.due_date)
    return valid and ok, due


def _create(form: AssignmentForm) -> list[Assignment] | None:
    ok, due = _validated_due_date(form)
    if not ok:
        return None
    course = db.session.get(Course, form.course_id.data)
    scope = form.scope.data
    region = db.session.get(Region, form.region_id.data) if scope == "region" else None
    office = db.session.get(Office, form.office_id.data) if scope == "office" else None
    officers = []
    try:
        if scope == "user":
            officers, unknown = assignments.find_officers(form.officers.data or "")
            if unknown:
                form.officers.errors = list(form.officers.errors) + [
                    _("Tidak ada petugas aktif dengan NIP atau nama pengguna: %(words)s",
                      words=", ".join(unknown[:20]) + (" …" if len(unknown) > 20 else ""))]
                return None
        return assignments.assign_course(course, scope, today=today(), actor=current_user,
                                         region=region, office=office, officers=officers,
                                         due_date=due, newcomer_days=form.newcomer_days.data)
    except AssignmentError as exc:
        db.session.rollback()
        _error(form, exc)
        return None


def _page(form: AssignmentForm, status: int = 200):
    text = request.args.get("course", "")
    course_id = parse_db_int(text)
    if text and course_id is None:
        abort(400)
    rows = assignments.assignments_overview(course_id)
    return render_template("admin/assignments.html", form=form, rows=rows, course_id=course_id,
                           due_form=DueDateForm(formdata=None), delete_form=EmptyForm(),
                           today=today()), status


@bp.route("/assignments", methods=["GET", "POST"])
def assignments_page():
    form = _form()
    if request.method == "POST":
        made = _create(form)
        if made is None:
            return _page(form, 400)
        db.session.commit()
        flash(ngettext("%(num)s penugasan disimpan.", "%(num)s penugasan disimpan.",
                       len(made)), "success")
        return redirect(url_for("admin.assignments_page"))
    return _page(form)


def _find(assignment_id: int) -> Assignment:
    found = db.session.get(Assignment, assignment_id)
    if found is None:
        abort(404)
    return found


@bp.post("/assignments/<int:assignment_id>/due")
def assignment_due(assignment_id: int):
    found = _find(assignment_id)
    form = DueDateForm()
    ok, due = _validated_due_date(form)
    if not ok:
        flash(form.due_date.errors[0] if form.due_date.errors else _("Tenggat tidak sah."),
              "error")
        return _page(_form(), 400)
    try:
        assignments.change_due_date(found, due, today())
    except AssignmentError as exc:
        db.session.rollback()
        flash(message(exc.code, exc.params), "error")
        return _page(_form(), 400)
    db.session.commit()
    flash(_("Tenggat diubah."), "success")
    return redirect(url_for("admin.assignments_page"))


@bp.post("/assignments/<int:assignment_id>/delete")
def assignment_delete(assignment_id: int):
    found = _find(assignment_id)
    if not EmptyForm().validate():
        abort(400)
    assignments.remove_assignment(found)
    db.session.commit()
    flash(_("Penugasan dihapus. Kemajuan petugas tetap tersimpan."), "success")
    return redirect(url_for("admin.assignments_page"))
