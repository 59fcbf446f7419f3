"""Studio tools: legal-reference search, the review list, images, export and import, audit log."""
from __future__ import annotations

from flask import (abort, current_app, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from learning import audit
from learning.studio import exchange as course_exchange, legal_currency, media
from learning.content.curriculum import ContentErrors
from learning.content.errors import ContentError
from learning.content.exchange import export_course_zip
from learning.extensions import db
from learning.models import utcnow
from learning.web.access import admin_required, staff_required
from learning.web.bounded_input import arg_int
from learning.web.forms import EmptyForm
from learning.clock import today
from .modules import bp, find_course, review_period
from learning.studio.forms import (ACTION_LABELS,
    STATE_LABELS,
    TARGET_LABELS,
    AuditFilterForm,
    ImageUploadForm,
    ImportForm,
    studio_message)


@bp.get("/laws")
@staff_required
def laws():
    query = (request.args.get("q") or "").strip()[:200]
    results = legal_currency.law_search(query) if query else []
    modules = [r for r in results if r.kind == "module"]
    questions = [r for r in results if r.kind == "question"]
    return render_template("studio/laws.html", query=query, modules=modules, questions=questions)


@bp.get("/review")
@staff_required
def review():
    return render_template("studio/review.html", period=review_period(),
                           due=legal_currency.modules_due_for_review(today(), review_period()))


# --------------------------------------------------------------------------- images


def upload_limit() -> int:
    return int(current_app.config.get("MEDIA_MAX_UPLOAD_BYTES", media.MAX_UPLOAD_BYTES))


def images_page(form: ImageUploadForm | None = None, status: int = 200):
    form = form or ImageUploadForm(next=url_for("studio.images"))
    return render_template("studio/images.html", images=media.recent_images(), form=form,
                           delete_form=EmptyForm(formdata=None), limit=upload_limit(),
                           snippet=media.markdown_snippet), status


@bp.get("/images")
@staff_required
def images():
    return images_page()


@bp.post("/images/<int:image_id>/delete")
@staff_required
def delete_image(image_id: int):
    image = db.session.get(media.Image, image_id)
    if image is None:
        abort(404)
    if not EmptyForm().validate():
        abort(400)
    try:
        leftover = media.delete_image(image, current_user, current_app.config.get("MEDIA_ROOT"))
    except media.MediaError as exc:
        flash(studio_message(exc.code, exc.params), "error")
        return redirect(url_for("studio.images"))
    db.session.commit()
    if leftover is not None:
        leftover.unlink(missing_ok=True)
    flash(_("Gambar dihapus."), "success")
    return redirect(url_for("studio.images"))


# --------------------------------------------------------------------------- export / import


@bp.get("/courses/<course_slug>/export")
@staff_required
def export_course(course_slug: str):
    course = find_course(course_slug)
    response = current_app.response_class(export_course_zip(course), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{course.slug}.zip"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _errors_of(exc: Exception) -> list[ContentError]:
    return exc.errors if isinstance(exc, ContentErrors) else [exc]


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_zip():
    if request.method == "GET":
        return render_template("studio/import.html", form=ImportForm(), errors=None)
    try:
        form = ImportForm()
        valid = form.validate()
    except RequestEntityTooLarge:
        form, valid = ImportForm(formdata=None), False
        form.archive.errors = [studio_message("too_large", {
            "limit": current_app.config["MAX_CONTENT_LENGTH"]})]
    if not valid:
        return render_template("studio/import.html", form=form, errors=None), 400
    upload = form.archive.data
    try:
        staged = course_exchange.stage_import(upload.read(), upload.filename or "", current_user)
    except (ContentErrors, ContentError) as exc:
        db.session.rollback()
        return render_template("studio/import.html", form=form, errors=_errors_of(exc),
                               filename=upload.filename), 400
    db.session.commit()
    return redirect(url_for("studio.import_preview", token=staged.id))


def _staged(token: str):
    staged = course_exchange.find_staged_import(token, current_user, utcnow())
    if staged is None:
        abort(404)
    return staged


@bp.get("/import/<token>")
@staff_required
def import_preview(token: str):
    return render_template("studio/import_preview.html", staged=_staged(token), form=EmptyForm())


@bp.post("/import/<token>")
@staff_required
def import_apply(token: str):
    staged = _staged(token)
    if not EmptyForm().validate():
        abort(400)
    try:
        report = course_exchange.apply_staged_import(staged, current_user)
    except (ContentErrors, ContentError) as exc:
        db.session.rollback()
        return render_template("studio/import.html", form=ImportForm(), errors=_errors_of(exc),
                               filename=staged.filename), 400
    db.session.commit()
    flash(_("Impor selesai: %(c)s dibuat, %(u)s diperbarui, %(n)s tidak berubah.",
            c=len(report.created), u=len(report.updated), n=len(report.unchanged)), "success")
    return redirect(url_for("studio.index"))


# --------------------------------------------------------------------------- audit log


@bp.get("/audit")
@admin_required
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("Semua tindakan"))] + [(a, str(ACTION_LABELS[a]))
                                                         for a in audit.ACTIONS]
    action = request.args.get("action") or None
    if action not in audit.ACTIONS:
        action = None
    page = audit.audit_events(page=arg_int("page", 1), action=action)
    return render_template("studio/audit.html", page=page, form=form, action=action,
                           action_labels=ACTION_LABELS, target_labels=TARGET_LABELS)


@bp.context_processor
def _studio_labels():
    return {"studio_state_labels": STATE_LABELS}
