"""The trainer studio (/studio): courses and modules. Trainers and administrators only.

Quizzes are in studio_quiz, and the tools (law search, review list, images, export and
import, audit log) in studio_tools; both register their views on this blueprint.
"""
from __future__ import annotations


from datetime import timedelta

import sqlalchemy as sa
from flask import (abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from learning.studio import authoring as studio
from learning.studio.file_conflicts import open_file_conflicts
from learning.studio.publish_effect import RETIRE, publish_effect, require_recertification
from learning.content.markdown_limits import markdown_problem
from learning.content.rendering import render_markdown
from learning.clock import today
from learning.extensions import db
from learning.models import Course, Module, utcnow
from learning.content.revisions import latest_module_revision
from learning.web.access import staff_required
from learning.web.forms import EmptyForm
from learning.studio.forms import (CourseForm,
    ImageUploadForm,
    ModuleForm,
    NewCourseForm,
    NewModuleForm,
    PublishForm,
    markdown_limit_message,
    studio_message)
from learning.web.bounded_input import parse_db_int
from ..blueprint import bp



def find_course(slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug))
    if course is None:
        abort(404)
    return course


def find_module(module_id: int) -> Module:
    module = db.session.get(Module, module_id)
    if module is None:
        abort(404)
    return module


def review_period() -> int:
    return int(current_app.config.get("REVIEW_PERIOD_DAYS", 365))



@bp.get("/")
@staff_required
def index():
    rows = studio.studio_overview(today(), review_period())
    due = sum(1 for course in rows for row in course.modules if row.review_due)
    return render_template("studio/index.html", rows=rows, due=due, period=review_period(),
                           conflicts=open_file_conflicts())


# --------------------------------------------------------------------------- courses


@bp.route("/courses/new", methods=["GET", "POST"])
@staff_required
def new_course():
    form = NewCourseForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                course = studio.create_course(slug=form.slug.data, title=form.title.data,
                                              actor=current_user)
            except studio.StudioError as exc:
                form.slug.errors.append(studio_message(exc.code, exc.params))
            else:
                db.session.commit()
                flash(_("Kursus dibuat. Lengkapi keterangannya, lalu tambahkan modul."), "success")
                return redirect(url_for("studio.edit_course", course_slug=course.slug))
        status = 400
    return render_template("studio/course_new.html", form=form), status


@bp.get("/courses/<course_slug>/")
@staff_required
def course(course_slug: str):
    course = find_course(course_slug)
    row = studio.studio_overview(today(), review_period(), course)[0]
    return render_template("studio/course.html", course=course, row=row, form=EmptyForm(),
                           period=review_period())


@bp.route("/courses/<course_slug>/edit", methods=["GET", "POST"])
@staff_required
def edit_course(course_slug: str):
    course = find_course(course_slug)
    form = CourseForm(obj=course) if request.method == "GET" else CourseForm()
    if request.method == "GET":
        form.description.data = course.description_source
        form.order.data = course.position
    status = 200
    if request.method == "POST":
        if form.validate():
            changed = studio.update_course(
                course, title=form.title.data, summary=form.summary.data or "",
                description=form.description.data or "", order=form.order.data,
                validity_months=form.validity_months.data, published=form.published.data,
                actor=current_user, jp=form.jp.data)
            db.session.commit()
            flash(_("Kursus disimpan.") if changed else _("Tidak ada perubahan."), "success")
            return redirect(url_for("studio.course", course_slug=course.slug))
        status = 400
    return render_template("studio/course_edit.html", course=course, form=form,
                           delete_form=EmptyForm()), status


@bp.post("/courses/<course_slug>/delete")
@staff_required
def delete_course(course_slug: str):
    course = find_course(course_slug)
    if not EmptyForm().validate():
        abort(400)
    try:
        studio.delete_course(course, current_user)
    except studio.StudioError as exc:
        flash(studio_message(exc.code, exc.params), "error")
        return redirect(url_for("studio.edit_course", course_slug=course.slug))
    db.session.commit()
    flash(_("Kursus dihapus."), "success")
    return redirect(url_for("studio.index"))


# --------------------------------------------------------------------------- modules


@bp.route("/courses/<course_slug>/modules/new", methods=["GET", "POST"])
@staff_required
def new_module(course_slug: str):
    course = find_course(course_slug)
    form = NewModuleForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                module = studio.add_module(course, slug=form.slug.data, title=form.title.data,
                                           actor=current_user)
            except studio.StudioError as exc:
                form.slug.errors.append(studio_message(exc.code, exc.params))
            else:
                db.session.commit()
                flash(_("Modul dibuat. Tulis isinya, simpan sebagai draf, lalu terbitkan."),
                      "success")
                return redirect(url_for("studio.edit_module", module_id=module.id))
        status = 400
    return render_template("studio/module_new.html", course=course, form=form), status


def _fill_module_form(form: ModuleForm, module: Module, latest) -> None:
    source = latest or module
    form.title.data = source.title
    form.minutes.data = source.minutes or None
    form.laws.data = "\n".join(source.laws or [])
    form.reviewed.data = source.reviewed
    form.source.data = latest.source if latest else ""
    form.note.data = ""
    form.base.data = str(latest.number if latest else 0)


def _base_number(form) -> int | None:
    return parse_db_int(form.base.data or "")


def _editor(module: Module, form: ModuleForm, preview=None, status: int = 200):
    latest = latest_module_revision(module)
    publish_form = PublishForm(revision=str(latest.number)) if latest else None
    return render_template(
        "studio/module_edit.html", module=module, course=module.course, form=form,
        latest=latest, published=module.published_revision, preview=preview,
        publish_form=publish_form, upload_form=ImageUploadForm(next=request.path),
        action_form=EmptyForm(),
        upload_limit=current_app.config.get("MEDIA_MAX_UPLOAD_BYTES"),
    ), status


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_module(module_id: int):
    module = find_module(module_id)
    form = ModuleForm()
    if request.method == "GET":
        _fill_module_form(form, module, latest_module_revision(module))
        return _editor(module, form)
    if request.form.get("action") == "preview":
        problem = markdown_problem(form.source.data or "")
        if problem is not None:
            flash(markdown_limit_message(problem), "error")
        return _editor(module, form, preview=render_markdown(form.source.data or ""),
                       status=400 if problem else 200)
    if not form.validate():
        return _editor(module, form, status=400)
    draft = studio.ModuleDraft(title=form.title.data, minutes=form.minutes.data,
                               laws=studio.clean_laws(form.laws.data or ""),
                               reviewed=form.reviewed.data, source=form.source.data or "",
                               note=form.note.data or "")
    try:
        result = studio.save_module_draft(module, draft, current_user, _base_number(form))
    except studio.StudioError as exc:
        db.session.rollback()
        if exc.code == "conflict":
            form.base.data = str(exc.params["number"])  # saving again overwrites, knowingly
        flash(studio_message(exc.code, exc.params), "error")
        return _editor(module, form, status=409 if exc.code == "conflict" else 400)
    db.session.commit()
    if result.created:
        flash(_("Draf tersimpan sebagai revisi %(n)s. Petugas belum melihatnya sampai "
                "diterbitkan.", n=result.revision.number), "success")
    else:
        flash(_("Tidak ada perubahan sejak revisi %(n)s.", n=result.revision.number), "info")
    return redirect(url_for("studio.edit_module", module_id=module.id))


@bp.post("/preview")
@staff_required
def preview():
    """The sanitised HTML of Markdown, exactly as the published page will show it."""
    source = request.form.get("source", "")
    if len(source) > studio.MAX_SOURCE_CHARS:
        abort(400)
    problem = markdown_problem(source)
    if problem is not None:  # the message instead of a preview, so the author knows why
        body = str(Markup('<p class="error">{}</p>').format(markdown_limit_message(problem)))
        response = current_app.response_class(body, status=400, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        return response
    rendered = render_markdown(source)
    response = current_app.response_class(rendered.html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/modules/<int:module_id>/publish")
@staff_required
def publish_module(module_id: int):
    module = find_module(module_id)
    form = PublishForm()
    number = parse_db_int(form.revision.data) if form.validate() else None
    revision = studio.module_revision(module, number) if number is not None else None
    if revision is None:
        abort(400)
    effect = publish_effect(module, substantive=form.substantive.data)
    if (effect.moves_figures or form.recertify.data) and form.confirmed.data != "1":
        form.confirmed.data = "1"
        return render_template("studio/publish_confirm.html", module=module, revision=revision,
                               effect=effect, form=form, recertify=form.recertify.data,
                               action=url_for("studio.publish_module", module_id=module.id))
    try:
        studio.publish_module(module, revision, current_user, substantive=form.substantive.data,
                              effect=effect.summary(form.recertify.data))
    except studio.StudioError as exc:
        flash(studio_message(exc.code, exc.params), "error")
        return redirect(url_for("studio.edit_module", module_id=module.id))
    renewed = 0
    if form.recertify.data:
        grace = int(current_app.config.get("REFRESHER_GRACE_DAYS", 30))
        renewed = require_recertification(module, current_user, utcnow(),
                                          today() + timedelta(days=grace))
    db.session.commit()
    flash(_("Revisi %(n)s diterbitkan. Petugas sekarang membaca versi ini.", n=revision.number),
          "success")
    if effect.new_material or renewed:
        flash(_("%(officers)s petugas melihat materi baru; %(certificates)s sertifikat perlu "
                "diperbarui.", officers=effect.new_material, certificates=renewed), "info")
    return redirect(url_for("studio.edit_module", module_id=module.id))


@bp.post("/modules/<int:module_id>/move")
@staff_required
def move_module(module_id: int):
    module = find_module(module_id)
    direction = request.form.get("direction")
    if not EmptyForm().validate() or direction not in ("up", "down"):
        abort(400)
    studio.move_module(module, -1 if direction == "up" else 1, current_user)
    db.session.commit()
    return redirect(url_for("studio.course", course_slug=module.course.slug) + f"#m{module.id}")


@bp.post("/courses/<course_slug>/reorder")
@staff_required
def reorder(course_slug: str):
    course = find_course(course_slug)
    raw = request.form.get("order", "")
    try:
        ordered = [int(part) for part in raw.split(",") if part.strip()]
        if not EmptyForm().validate():
            raise ValueError
        studio.reorder_modules(course, ordered, current_user)
    except (ValueError, studio.StudioError):
        db.session.rollback()
        flash(studio_message("bad_order", {}), "error")
        return redirect(url_for("studio.course", course_slug=course.slug))
    db.session.commit()
    flash(_("Urutan modul disimpan."), "success")
    return redirect(url_for("studio.course", course_slug=course.slug))


@bp.post("/modules/<int:module_id>/retire")
@staff_required
def retire_module(module_id: int):
    module = find_module(module_id)
    form = EmptyForm()
    if not form.validate():
        abort(400)
    effect = publish_effect(module, action=RETIRE)
    if effect.moves_figures and request.form.get("confirmed") != "1":
        return render_template("studio/publish_confirm.html", module=module, revision=None,
                               effect=effect, form=form, recertify=False,
                               action=url_for("studio.retire_module", module_id=module.id))
    studio.retire_module(module, current_user, effect=effect.summary(False))
    db.session.commit()
    flash(_("Modul '%(title)s' dipensiunkan. Petugas tidak lagi melihatnya; riwayat dan "
            "kemajuan petugas tetap tersimpan.", title=module.title), "success")
    return redirect(url_for("studio.course", course_slug=module.course.slug))


@bp.post("/modules/<int:module_id>/reinstate")
@staff_required
def reinstate_module(module_id: int):
    module = find_module(module_id)
    if not EmptyForm().validate():
        abort(400)
    studio.reinstate_module(module, current_user)
    db.session.commit()
    flash(_("Modul '%(title)s' aktif lagi.", title=module.title), "success")
    return redirect(url_for("studio.course", course_slug=module.course.slug))
