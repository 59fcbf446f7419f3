"""Administration (/admin, administrators only): the overview and the organisation (regions and
offices). People are in people.py, course assignments in assignments.py, and the CSV imports of
both people and the organisation in csv_imports.py.

Views parse a form, call one domain function, commit once and redirect (or render the form again
with the message beside the field and status 400).
"""
from __future__ import annotations


import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from learning.admin import organisation
from learning.extensions import db
from learning.models import Assignment, Office, Region, Role, User
from learning.admin.organisation import OrganisationError
from learning.web.access import admin_required
from learning.admin.forms import OfficeForm, RegionForm
from learning.admin.messages import message, problem_text
from learning.web.forms import EmptyForm
from ..blueprint import bp



@bp.before_request
@admin_required
def _administrators_only():
    """Every page here is for administrators: anonymous -> sign in, others -> 403."""
    return None


@bp.context_processor
def _admin_helpers():
    return {"problem_text": problem_text}


@bp.after_request
def _never_cached(response):
    response.headers["Cache-Control"] = "no-store, private"  # one-time passwords, personal data
    return response


@bp.get("/")
def index():
    counts = dict(db.session.execute(
        sa.select(User.role, sa.func.count(User.id)).where(User.active.is_(True))
        .group_by(User.role)).all())
    inactive = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.active.is_(False)))
    return render_template(
        "admin/index.html", counts=counts, inactive=inactive or 0,
        regions=db.session.scalar(sa.select(sa.func.count(Region.id))) or 0,
        offices=db.session.scalar(sa.select(sa.func.count(Office.id))) or 0,
        assignments=db.session.scalar(sa.select(sa.func.count(Assignment.id))) or 0,
        roles=Role)


# --------------------------------------------------------------------------- regions


def _find(model, ident: int):
    found = db.session.get(model, ident)
    if found is None:
        abort(404)
    return found


def _org_error(form, exc: OrganisationError) -> None:
    field = form.code if exc.code in ("bad_code", "region_code_taken", "office_code_taken") \
        else form.name
    field.errors.append(message(exc.code, exc.params))


@bp.route("/regions", methods=["GET", "POST"])
def regions():
    form = RegionForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                region = organisation.create_region(form.code.data, form.name.data)
            except OrganisationError as exc:
                _org_error(form, exc)
            else:
                db.session.commit()
                flash(_("Kanwil %(name)s ditambahkan.", name=region.name), "success")
                return redirect(url_for("admin.regions"))
        status = 400
    return render_template("admin/regions.html", form=form,
                           rows=organisation.regions_overview(), delete_form=EmptyForm()), status


@bp.route("/regions/<int:region_id>", methods=["GET", "POST"])
def region(region_id: int):
    found = _find(Region, region_id)
    form = RegionForm(obj=found if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                organisation.update_region(found, form.code.data, form.name.data)
            except OrganisationError as exc:
                db.session.rollback()
                _org_error(form, exc)
            else:
                db.session.commit()
                flash(_("Kanwil disimpan."), "success")
                return redirect(url_for("admin.regions"))
        status = 400
    return render_template("admin/region.html", form=form, region=found,
                           offices=organisation.offices_overview(region_id),
                           delete_form=EmptyForm()), status


@bp.post("/regions/<int:region_id>/delete")
def delete_region(region_id: int):
    found = _find(Region, region_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        organisation.delete_region(found)
    except OrganisationError as exc:
        db.session.rollback()
        flash(message(exc.code, exc.params), "error")
        return redirect(url_for("admin.region", region_id=region_id))
    db.session.commit()
    flash(_("Kanwil dihapus."), "success")
    return redirect(url_for("admin.regions"))


# --------------------------------------------------------------------------- offices


def _office_form(obj=None) -> OfficeForm:
    form = OfficeForm(obj=obj)
    form.region_id.choices = [(0, _("— pilih Kanwil —"))] + [
        (r.id, f"{r.name} ({r.code})") for r, _count in organisation.regions_overview()]
    return form


@bp.route("/offices", methods=["GET", "POST"])
def offices():
    form = _office_form()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                office = organisation.create_office(form.code.data, form.name.data,
                                                    _find(Region, form.region_id.data))
            except OrganisationError as exc:
                _org_error(form, exc)
            else:
                db.session.commit()
                flash(_("Kantor %(name)s ditambahkan.", name=office.name), "success")
                return redirect(url_for("admin.offices"))
        status = 400
    return render_template("admin/offices.html", form=form,
                           rows=organisation.offices_overview()), status


@bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
def office(office_id: int):
    found = _find(Office, office_id)
    form = _office_form(found if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                organisation.update_office(found, form.code.data, form.name.data,
                                           _find(Region, form.region_id.data))
            except OrganisationError as exc:
                db.session.rollback()
                _org_error(form, exc)
            else:
                db.session.commit()
                flash(_("Kantor disimpan."), "success")
                return redirect(url_for("admin.offices"))
        status = 400
    return render_template("admin/office.html", form=form, office=found,
                           delete_form=EmptyForm()), status


@bp.post("/offices/<int:office_id>/delete")
def delete_office(office_id: int):
    found = _find(Office, office_id)
    if not EmptyForm().validate():
        abort(400)
    try:
        organisation.delete_office(found)
    except OrganisationError as exc:
        db.session.rollback()
        flash(message(exc.code, exc.params), "error")
        return redirect(url_for("admin.office", office_id=office_id))
    db.session.commit()
    flash(_("Kantor dihapus."), "success")
    return redirect(url_for("admin.offices"))
