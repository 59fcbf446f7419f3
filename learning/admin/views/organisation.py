"""Administration (/admin, administrators only): the organisation (regions and offices, with a CSV
import), people (admin_people.py) and course assignments (admin_assignments.py).

Views parse a form, call one domain function, commit once and redirect (or render the form again
with the message beside the field and status 400). CSV imports are two steps: the upload shows a
preview of every line and writes nothing; the confirmation sends the same file back (with its
digest, so exactly the previewed file is applied) and applies it in one transaction.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from learning.admin import organisation
from learning.admin.csv_table import CsvFileError
from learning.extensions import db
from learning.models import Assignment, Office, Region, Role, User
from learning.admin.organisation import OrganisationError
from learning.web.access import admin_required
from learning.admin.forms import CsvConfirmForm, CsvUploadForm, OfficeForm, RegionForm
from learning.admin.messages import message, problem_text
from learning.web.forms import EmptyForm
from ..blueprint import bp

PREVIEW_LINES = 500


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


# --------------------------------------------------------------------------- CSV steps


def read_upload(form: CsvUploadForm) -> bytes | None:
    if not form.validate():
        return None
    return form.file.data.read()


def encode_upload(data: bytes) -> CsvConfirmForm:
    form = CsvConfirmForm(formdata=None)
    form.data.data = base64.b64encode(data).decode()
    form.digest.data = hashlib.sha256(data).hexdigest()
    return form


def confirmed_upload() -> bytes:
    """The file sent back by a confirmation form; 400 when it is not the one previewed."""
    form = CsvConfirmForm()
    if not form.validate():
        abort(400)
    try:
        data = base64.b64decode(form.data.data.encode(), validate=True)
    except (binascii.Error, ValueError):
        abort(400)
    if hashlib.sha256(data).hexdigest() != form.digest.data:
        abort(400)
    return data


def file_error_text(exc: CsvFileError) -> str:
    return message(exc.code, exc.params)


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


@bp.route("/organisation/import", methods=["GET", "POST"])
def organisation_import():
    form = CsvUploadForm()
    if request.method == "GET":
        return render_template("admin/import_upload.html", form=form, kind="organisation")
    data = read_upload(form)
    if data is None:
        return render_template("admin/import_upload.html", form=form, kind="organisation"), 400
    try:
        preview = organisation.preview_organisation_csv(data)
    except CsvFileError as exc:
        form.file.errors.append(file_error_text(exc))
        return render_template("admin/import_upload.html", form=form, kind="organisation"), 400
    return render_template("admin/import_preview.html", preview=preview, kind="organisation",
                           confirm=encode_upload(data), limit=PREVIEW_LINES)


@bp.post("/organisation/import/confirm")
def organisation_import_confirm():
    data = confirmed_upload()
    try:
        preview = organisation.apply_organisation_csv(data)
    except CsvFileError:
        abort(400)
    db.session.commit()
    flash(_("Impor selesai: %(created)s baris baru, %(updated)s diubah, %(unchanged)s tetap, "
            "%(errors)s dilewati karena salah.", created=preview.count("create"),
            updated=preview.count("update"), unchanged=preview.count("unchanged"),
            errors=preview.count("error")), "success")
    return redirect(url_for("admin.offices"))
