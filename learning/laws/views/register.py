"""The register of laws: the list and one law for everyone who reads; new, edit and the Markdown
file for trainers."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

import sqlalchemy as sa

from learning.extensions import db
from learning.models import CertificateRenewal, Law, LawReview, Module
from learning.web.access import staff_required
from .. import changes as law_changes
from ..blueprint import bp
from ..forms import STATUS_LABELS, LawForm
from ..citations import parse_citation, split_citations
from ..impact import cited_articles
from ..register import create_law, db_aliases, edit_law, key_of, law_by_key, law_file_text


def find_law(key: str) -> Law:
    law = law_by_key(key[:80])
    if law is None:
        abort(404)
    return law


@bp.app_template_global()
def module_under_review(module_id: int) -> bool:
    """True while a law change's review of this module is open ("sedang ditinjau")."""
    return bool(law_changes.modules_under_review([module_id]))


@bp.app_template_global()
def quiz_under_review(quiz_id: int) -> bool:
    return bool(law_changes.quizzes_under_review([quiz_id]))


@bp.app_template_global()
def certificate_renewal(certificate_id: int) -> CertificateRenewal | None:
    """The latest law change that marked this certificate for renewal, if any."""
    return db.session.scalar(sa.select(CertificateRenewal)
                             .where(CertificateRenewal.certificate_id == certificate_id)
                             .order_by(CertificateRenewal.id.desc()).limit(1))


@bp.app_template_global()
def open_law_reviews(limit: int = 5):
    """The oldest open review tasks and how many there are, for the studio's front page."""
    query = sa.select(LawReview).where(LawReview.closed_at.is_(None))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    oldest = list(db.session.scalars(query.order_by(LawReview.opened_at, LawReview.id).limit(limit)))
    return total, oldest


@bp.get("/")
@login_required
def register():
    laws = list(db.session.scalars(sa.select(Law).order_by(Law.citation)))
    return render_template("laws/register.html", laws=laws, status_labels=STATUS_LABELS)


@bp.get("/<key>")
@login_required
def law(key: str):
    law = find_law(key)
    staff = current_user.role in ("trainer", "admin")
    aliases = db_aliases()
    modules = [m for m in db.session.scalars(
        sa.select(Module).where(Module.is_live).order_by(Module.course_id, Module.position))
        if any(law.key in parse_citation(part, aliases).keys
               for text in m.laws or [] for part in split_citations(text))]
    return render_template("laws/law.html", law=law, status_labels=STATUS_LABELS,
                           articles=cited_articles(law), modules=modules, staff=staff,
                           changes=law_changes.changes_of(law) if staff else [])


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new_law():
    form = LawForm()
    if form.validate_on_submit():
        key = key_of(form.citation.data)
        if key and law_by_key(key) is not None:
            form.citation.errors.append(_("Peraturan ini sudah ada di daftar."))
        else:
            law = create_law(form.values(), current_user)
            db.session.commit()
            flash(_("Peraturan ditambahkan. Unduh berkasnya untuk disimpan di folder laws/."),
                  "success")
            return redirect(url_for("laws.law", key=law.key))
    return render_template("laws/edit.html", form=form, law=None), 400 if request.method == "POST" else 200


@bp.route("/<key>/edit", methods=["GET", "POST"])
@staff_required
def edit(key: str):
    law = find_law(key)
    form = LawForm(obj=law) if request.method == "GET" else LawForm()
    if request.method == "GET":
        form.amended_by.data = "\n".join(law.amended_by or [])
        form.aliases.data = "\n".join(law.aliases or [])
    if form.validate_on_submit():
        values = form.values()
        if key_of(values["citation"]) not in (None, law.key):
            form.citation.errors.append(_("Nomor ini menunjuk peraturan lain; tambahkan sebagai "
                                          "peraturan baru."))
        else:
            edit_law(law, values, current_user)
            db.session.commit()
            flash(_("Perubahan disimpan. Impor berikutnya tidak akan menimpanya; unduh berkasnya "
                    "untuk disimpan di folder laws/."), "success")
            return redirect(url_for("laws.law", key=law.key))
    return render_template("laws/edit.html", form=form, law=law), 400 if request.method == "POST" else 200


@bp.get("/<key>/file")
@staff_required
def law_file(key: str):
    law = find_law(key)
    response = current_app.response_class(law_file_text(law), mimetype="text/markdown")
    response.headers["Content-Disposition"] = f'attachment; filename="{law.key}.md"'
    response.headers["Cache-Control"] = "no-store"
    return response
