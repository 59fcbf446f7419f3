"""Question banks from Moodle in the studio: upload, the report, then confirm.

Upload checks and converts the file and keeps it as a staged import (nothing is added to the
quiz); the report page shows, in numbers and question by question, what would be imported, what
is changed and what is lost or refused; confirming adds the questions to the quiz as a draft
revision, which the trainer then reviews and publishes as usual.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from learning.content.errors import ContentError
from learning.content.moodle import bank as banks
from learning.content.moodle.messages import KIND_LABELS, message
from learning.content.moodle.export import to_gift, to_moodle_xml
from learning.content.moodle.model import BankError
from learning.content.quiz_format import parse_quiz
from learning.content.revisions import latest_quiz_revision
from learning.extensions import db
from learning.models import Quiz, StagedImport, utcnow
from learning.studio import exchange as course_exchange
from learning.studio.forms import BankConfirmForm, QuestionBankForm
from learning.web.access import staff_required
from .modules import bp, find_module

KIND = banks.STAGED_KIND


def _upload_page(module, form, problems=None, status=200):
    return render_template("studio/bank_upload.html", module=module, form=form,
                           problems=problems, labels=banks.FORMAT_LABELS), status


@bp.route("/modules/<int:module_id>/question-bank", methods=["GET", "POST"])
@staff_required
def question_bank(module_id: int):
    module = find_module(module_id)
    if request.method == "GET":
        return _upload_page(module, QuestionBankForm())
    try:
        form = QuestionBankForm()
        valid = form.validate()
    except RequestEntityTooLarge:
        form, valid = QuestionBankForm(formdata=None), False
        form.bank.errors = [message("too_large", {"limit": banks.MAX_BYTES})]
    if not valid:
        return _upload_page(module, form, status=400)
    upload = form.bank.data
    data = upload.read(banks.MAX_BYTES + 1)
    name = (upload.filename or "bank").replace("\\", "/").split("/")[-1][:200]
    try:
        plan = banks.plan_import(module, data, name, form.format.data or None, banks.image_checker())
    except BankError as exc:
        problems = [(where, message(code, params)) for where, code, params in exc.problems[:200]]
        return _upload_page(module, form, problems, 400)
    except ContentError as exc:
        return _upload_page(module, form, [(exc.path, exc.message)], 400)
    course_exchange.prune_staged_imports(utcnow())
    staged = banks.stage_bank(module, plan, data, current_user)
    db.session.commit()
    return redirect(url_for("studio.question_bank_preview", token=staged.id))


def _staged(token: str) -> StagedImport:
    staged = course_exchange.find_staged_import(token, current_user, utcnow(), kind=KIND)
    if staged is None:
        abort(404)
    return staged


def _notes(rows) -> list[dict]:
    return [{"kind": KIND_LABELS.get(kind, kind), "raw": kind, "where": where,
             "text": message(code, params)} for kind, where, code, params in rows]


def _preview(staged: StagedImport, form: BankConfirmForm, error: str | None = None, status=200):
    report = staged.report
    module = find_module(report["module_id"])
    outcomes = [{**o, "label": KIND_LABELS.get(o["status"], o["status"]), "notes": _notes(o["notes"])}
                for o in report["outcomes"]]
    return render_template("studio/bank_preview.html", staged=staged, module=module, form=form,
                           report=report, f=report["figures"], outcomes=outcomes,
                           file_notes=_notes(report["file_notes"]), error=error,
                           label=banks.FORMAT_LABELS.get(report["format"], "")), status


@bp.get("/question-bank/<token>")
@staff_required
def question_bank_preview(token: str):
    return _preview(_staged(token), BankConfirmForm())


@bp.post("/question-bank/<token>")
@staff_required
def question_bank_apply(token: str):
    staged = _staged(token)
    form = BankConfirmForm()
    if not form.validate():
        abort(400)
    module = find_module(staged.report["module_id"])
    store = banks.image_storer(current_user, current_app.config.get("MEDIA_ROOT"))
    try:
        plan, quiz, revision = banks.apply_import(
            module, staged.data, staged.filename, current_user, fmt=staged.report["format"],
            accept_losses=bool(form.accept_losses.data), store_image=store)
    except banks.ImportRefused as exc:
        db.session.rollback()
        if exc.code == "losses":
            return _preview(staged, form, _("Centang pernyataan di bawah laporan untuk mengimpor "
                                            "meskipun ada bagian yang hilang atau ditolak."), 400)
        return _preview(staged, form, message(exc.code, exc.params), 400)
    except (BankError, ContentError) as exc:
        db.session.rollback()
        return _preview(staged, form, str(exc), 400)
    db.session.delete(staged)
    db.session.commit()
    flash(_("%(n)s soal ditambahkan ke kuis sebagai draf revisi %(r)s. Periksa lalu terbitkan; "
            "petugas belum melihatnya.", n=plan.imported, r=revision.number), "success")
    return redirect(url_for("studio.edit_quiz", quiz_id=quiz.id))


# --------------------------------------------------------------------------- export to Moodle


def _export(quiz_id: int, fmt: str):
    quiz = db.session.get(Quiz, quiz_id)
    latest = latest_quiz_revision(quiz) if quiz is not None else None
    if latest is None:
        abort(404)
    document = parse_quiz(latest.source, f"{quiz.slug}.md")
    writer, ext, mimetype = ((to_gift, "gift", "text/plain") if fmt == "gift"
                             else (to_moodle_xml, "xml", "application/xml"))
    text, left_out = writer(document)
    notes = [f"{slug}: {message(code)}".replace("--", "- -") for slug, code in left_out]
    if notes and fmt == "gift":
        text = "".join(f"// {_('tidak terbawa')}: {note}\n" for note in notes) + "\n" + text
    elif notes:
        head, _sep, body = text.partition("\n")
        text = head + "\n" + "".join(f"<!-- {_('tidak terbawa')}: {note} -->\n" for note in notes) + body
    response = current_app.response_class(text, mimetype=mimetype)
    response.headers["Content-Disposition"] = (f'attachment; filename="{quiz.slug}-revisi-'
                                               f'{latest.number}.{ext}"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/quizzes/<int:quiz_id>/export.gift")
@staff_required
def export_quiz_gift(quiz_id: int):
    return _export(quiz_id, "gift")


@bp.get("/quizzes/<int:quiz_id>/export.xml")
@staff_required
def export_quiz_moodle_xml(quiz_id: int):
    return _export(quiz_id, "moodle_xml")
