"""People pages of the administration (/admin/people): find, create, edit, deactivate and
reactivate accounts, reset a password, and import officers from CSV. Administrators only (the
blueprint checks it for every view). One-time passwords are shown once, on the page that made them,
and never stored anywhere but as a hash."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.admin import people
from learning.extensions import db
from learning.models import Office, Region, Role, User
from learning.admin.people import PeopleError, PeopleQuery, PersonDetails
from .organisation import bp
from learning.admin.forms import PersonForm
from learning.admin.messages import message
from learning.web.forms import EmptyForm
from learning.web.bounded_input import parse_db_int

PER_PAGE = 50


def _office_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(sa.select(Office.code, Office.name, Region.name)
                              .join(Region, Region.id == Office.region_id)
                              .order_by(Region.name, Office.name)).all()
    return [("", _("— tanpa kantor —"))] + [(code, f"{name} ({code}) — {region}")
                                             for code, name, region in rows]


def _person_form(user: User | None = None) -> PersonForm:
    form = PersonForm()
    form.office_code.choices = _office_choices()
    if user is not None and request.method == "GET":
        form.full_name.data, form.nip.data = user.full_name, user.nip or ""
        form.username.data, form.email.data = user.username, user.email or ""
        form.role.data = user.role
        form.office_code.data = user.office.code if user.office else ""
    return form


def _details(form: PersonForm) -> PersonDetails:
    return PersonDetails(full_name=form.full_name.data or "", username=form.username.data or "",
                         nip=form.nip.data or "", email=form.email.data or "",
                         office_code=form.office_code.data or "", role=form.role.data or "")


def _field_error(form: PersonForm, exc: PeopleError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    text = message(exc.code, exc.params)
    if field is None:
        flash(text, "error")
    else:
        field.errors = list(field.errors) + [text]


def _int_arg(name: str) -> int | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    value = parse_db_int(text)
    if value is None:
        abort(400)
    return value


@bp.get("/people")
def people_list():
    role, status = request.args.get("role", ""), request.args.get("status", "")
    if role not in ("", *people.ROLES) or status not in ("", "active", "inactive"):
        abort(400)
    query = PeopleQuery(text=(request.args.get("q") or "")[:100], role=role, status=status,
                        office_id=_int_arg("office"), region_id=_int_arg("region"))
    page = people.find_people(query, page=_int_arg("page") or 1, per_page=PER_PAGE)
    keep = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/people.html", page=page, query=query, keep=keep,
                           offices=_office_choices(), roles=people.ROLES)


@bp.route("/people/new", methods=["GET", "POST"])
def new_person():
    form = _person_form()
    if request.method == "POST":
        if form.validate():
            try:
                created = people.create_person(_details(form))
            except PeopleError as exc:
                db.session.rollback()
                _field_error(form, exc)
            else:
                db.session.commit()
                return render_template("admin/password.html", user=created.user,
                                       password=created.password, new=True)
        return render_template("admin/person_form.html", form=form, user=None), 400
    return render_template("admin/person_form.html", form=form, user=None)


def _find_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
def person(user_id: int):
    user = _find_user(user_id)
    form = _person_form(user)
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                changed = people.update_person(user, _details(form), current_user)
            except PeopleError as exc:
                db.session.rollback()
                _field_error(form, exc)
            else:
                db.session.commit()
                flash(_("Data %(name)s disimpan.", name=user.full_name) if changed
                      else _("Tidak ada yang berubah."), "success")
                return redirect(url_for("admin.person", user_id=user.id))
        status = 400
    return render_template("admin/person_form.html", form=form, user=user,
                           action_form=EmptyForm(),
                           report_url=url_for("reports.officer", user_id=user.id)
                           if user.role == Role.OFFICER.value else None), status


def _action(user_id: int):
    user = _find_user(user_id)
    if not EmptyForm().validate():
        abort(400)
    return user


@bp.post("/people/<int:user_id>/deactivate")
def deactivate_person(user_id: int):
    user = _action(user_id)
    try:
        ended = people.deactivate(user, current_user)
    except PeopleError as exc:
        db.session.rollback()
        flash(message(exc.code, exc.params), "error")
        return redirect(url_for("admin.person", user_id=user.id))
    db.session.commit()
    flash(_("%(name)s dinonaktifkan; %(n)s sesi masuknya diakhiri. Riwayat belajarnya tetap "
            "tersimpan.", name=user.full_name, n=ended), "success")
    return redirect(url_for("admin.person", user_id=user.id))


@bp.post("/people/<int:user_id>/reactivate")
def reactivate_person(user_id: int):
    user = _action(user_id)
    people.reactivate(user)
    db.session.commit()
    flash(_("%(name)s aktif kembali.", name=user.full_name), "success")
    return redirect(url_for("admin.person", user_id=user.id))


@bp.post("/people/<int:user_id>/reset-password")
def reset_password(user_id: int):
    user = _action(user_id)
    try:
        password = people.reset_password(user, current_user)
    except PeopleError as exc:
        db.session.rollback()
        flash(message(exc.code, exc.params), "error")
        return redirect(url_for("admin.person", user_id=user.id))
    db.session.commit()
    return render_template("admin/password.html", user=user, password=password, new=False)
