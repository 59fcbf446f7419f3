"""Images: uploading (trainers and administrators) and serving them with a year-long cache.

An image's URL is the SHA-256 of its bytes, so the bytes behind a URL never change: browsers
and proxies may keep it for a year without asking again, and an ETag answers any revalidation.
"""
from __future__ import annotations

import os

from flask import abort, current_app, flash, jsonify, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from learning.media import variants
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


def variant_cache_dir() -> str:
    """Where the smaller copies are kept: beside the shared images when MEDIA_ROOT is set,
    else in this server's instance folder (every server can remake the same copy)."""
    root = current_app.config.get("MEDIA_ROOT")
    return os.path.join(root, "variants") if root else os.path.join(current_app.instance_path,
                                                                     "media-variants")


@bp.get("/media/<int:width>/<sha>.<ext>")
def image_variant(width: int, sha: str, ext: str):
    """A smaller copy (360 or 720 px wide) of a stored image, for `srcset`: made on first
    request, kept, and cached by browsers for a year like the original."""
    found = media.find_image(sha, ext) if width in variants.WIDTHS else None
    if found is None:
        abort(404)
    tag = f"{found.sha256}-{width}"
    if request.if_none_match.contains(tag):
        response = current_app.response_class(status=304)
    else:
        root = current_app.config.get("MEDIA_ROOT")
        data = variants.cached_variant(lambda: media.image_bytes(found, root), found.sha256,
                                       found.ext, width, variant_cache_dir())
        if data is None:  # the original is no wider: it is the copy
            return image(sha, ext)
        response = current_app.response_class(data, mimetype="image/webp")
    response.set_etag(tag)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
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
