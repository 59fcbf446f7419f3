"""Images: uploading (trainers and administrators) and serving them with a year-long cache.

An image's URL is the SHA-256 of its bytes, so the bytes behind a URL never change: browsers
and proxies may keep it for a year without asking again, and an ETag answers any revalidation.
"""
from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from learning.studio import media
from learning.extensions import csrf, db
from learning.web.access import staff_required
from learning.web.navigation import safe_next
from learning.studio.forms import ImageUploadForm, studio_message
from ..blueprint import media_bp as bp

YEAR = 365 * 24 * 3600
FORM_OVERHEAD_BYTES = 256 * 1024  # the other form fields and the multipart boundaries


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/media/<sha>.<ext>")
def image(sha: str, ext: str):
    found = media.find_image(sha, ext)
    if found is None:
        abort(404)
    if request.if_none_match.contains(found.sha256):
        response = current_app.response_class(status=304)
    else:
        data = media.image_bytes(found, current_app.config.get("MEDIA_ROOT"))
        if data is None:
            current_app.logger.error("image %s has no stored bytes", found.filename)
            abort(404)
        response = current_app.response_class(data, mimetype=found.content_type)
    response.set_etag(found.sha256)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["Content-Disposition"] = f'inline; filename="{found.filename}"'
    return response


def _refused(message: str, status: int, form: ImageUploadForm):
    if _wants_json():
        return jsonify(error=message), status
    from .tools import images_page

    form.image.errors = [message]
    return images_page(form, status)


@bp.post("/media/upload")
@csrf.exempt  # the form checks its own token, after the larger upload limit is in place
@staff_required
def upload():
    limit = int(current_app.config.get("MEDIA_MAX_UPLOAD_BYTES", media.MAX_UPLOAD_BYTES))
    request.max_content_length = limit + FORM_OVERHEAD_BYTES
    try:
        form = ImageUploadForm()  # reads the request body, now within the upload limit
        valid = form.validate()
    except RequestEntityTooLarge:
        return _refused(studio_message("too_large", {"limit": limit}), 413,
                        ImageUploadForm(formdata=None))
    if not valid:
        if "csrf_token" in form.errors:
            message = _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.")
        else:
            message = next((str(e) for errors in form.errors.values() for e in errors),
                           _("Formulir tidak sah."))
        return _refused(message, 400, form)
    upload_file = form.image.data
    data = upload_file.read(limit + 1)
    try:
        stored = media.store_image(data, uploader=current_user,
                                   original_name=upload_file.filename or "",
                                   alt=form.alt.data or "", max_bytes=limit,
                                   media_root=current_app.config.get("MEDIA_ROOT"))
    except media.MediaError as exc:
        db.session.rollback()
        return _refused(studio_message(exc.code, exc.params),
                        413 if exc.code == "too_large" else 400, form)
    db.session.commit()
    image = stored.image
    snippet = media.markdown_snippet(image, form.alt.data or "")
    if _wants_json():
        status = 201 if stored.created else 200
        return jsonify(url=image.path, markdown=snippet, width=image.width, height=image.height,
                       bytes=image.byte_size, created=stored.created), status
    flash(_("Gambar tersimpan (%(w)s×%(h)s piksel, %(kb)s KB). Tempelkan ke teks modul: "
            "%(snippet)s", w=image.width, h=image.height, kb=max(1, image.byte_size // 1024),
            snippet=snippet), "success")
    return redirect(safe_next(form.next.data, "studio.images"))
