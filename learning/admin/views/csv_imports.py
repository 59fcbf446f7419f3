"""CSV imports, one flow for people and for the organisation (regions and offices).

Two steps: the upload shows a preview of every line (what would be created, changed, left alone,
or refused and why) and nothing is written; the confirmation sends the same file back (with its
SHA-256, so a different file is refused) and applies it in one transaction. Each kind of import is
described once in `KINDS`; the routes and endpoints (`admin.people_import`,
`admin.organisation_import_confirm`, ...) are made from it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from learning.admin import organisation, people_import
from learning.admin.csv_table import CsvFileError
from learning.admin.forms import CsvConfirmForm, CsvUploadForm
from learning.admin.messages import message
from learning.extensions import db
from ..blueprint import bp

PREVIEW_LINES = 500


@dataclass(frozen=True)
class CsvImport:
    name: str  # "people" or "organisation": the URL segment, endpoint prefix and templates' kind
    preview: Callable[[bytes], object]  # bytes -> ImportPreview; raises CsvFileError
    apply: Callable[[bytes], object]  # bytes -> what was done; raises CsvFileError
    done: Callable[[object], object]  # what was done -> the response after the commit


def _organisation_done(preview):
    flash(_("Impor selesai: %(created)s baris baru, %(updated)s diubah, %(unchanged)s tetap, "
            "%(errors)s dilewati karena salah.", created=preview.count("create"),
            updated=preview.count("update"), unchanged=preview.count("unchanged"),
            errors=preview.count("error")), "success")
    return redirect(url_for("admin.offices"))


def _people_done(result):
    return render_template("admin/import_result.html", result=result)


KINDS = (
    CsvImport("people", people_import.preview_people_csv, people_import.apply_people_csv,
              _people_done),
    CsvImport("organisation", organisation.preview_organisation_csv,
              organisation.apply_organisation_csv, _organisation_done),
)


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


def upload(kind: CsvImport):
    form = CsvUploadForm()
    if request.method == "GET":
        return render_template("admin/import_upload.html", form=form, kind=kind.name)
    if not form.validate():
        return render_template("admin/import_upload.html", form=form, kind=kind.name), 400
    data = form.file.data.read()
    try:
        preview = kind.preview(data)
    except CsvFileError as exc:
        form.file.errors.append(message(exc.code, exc.params))
        return render_template("admin/import_upload.html", form=form, kind=kind.name), 400
    return render_template("admin/import_preview.html", preview=preview, kind=kind.name,
                           confirm=encode_upload(data), limit=PREVIEW_LINES)


def confirm(kind: CsvImport):
    data = confirmed_upload()
    try:
        result = kind.apply(data)
    except CsvFileError:
        abort(400)
    db.session.commit()
    return kind.done(result)


for _kind in KINDS:
    bp.add_url_rule(f"/{_kind.name}/import", f"{_kind.name}_import",
                    lambda kind=_kind: upload(kind), methods=["GET", "POST"])
    bp.add_url_rule(f"/{_kind.name}/import/confirm", f"{_kind.name}_import_confirm",
                    lambda kind=_kind: confirm(kind), methods=["POST"])
