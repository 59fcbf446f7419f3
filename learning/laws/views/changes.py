"""Law changes: record one (with its impact in numbers before confirming), see one, the open
review tasks with their age, and closing a review."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from learning.clock import today
from learning.extensions import db
from learning.models import LawChange, LawReview, utcnow
from learning.web.access import staff_required
from .. import changes as law_changes
from ..blueprint import bp
from ..forms import ERRORS, ChangeForm, CloseReviewForm
from ..impact import impact_of
from .register import find_law


def _age_days(review: LawReview) -> int:
    return max(0, (utcnow() - review.opened_at).days)


@bp.app_template_filter("review_age")
def review_age(review: LawReview) -> int:
    return _age_days(review)


@bp.route("/<key>/change", methods=["GET", "POST"])
@staff_required
def record_change(key: str):
    law = find_law(key)
    form = ChangeForm()
    if request.method == "GET":
        form.changed_on.data = today()
        return render_template("laws/change_new.html", law=law, form=form, impact=None)
    if not form.validate():
        return render_template("laws/change_new.html", law=law, form=form, impact=None), 400
    if form.confirm.data != "1":
        form.confirm.data = "1"
        return render_template("laws/change_new.html", law=law, form=form,
                               impact=impact_of(law, form.article.data or ""))
    try:
        change, impact = law_changes.record_change(
            law, article=form.article.data or "", changed_on=form.changed_on.data,
            changed_by=form.changed_by.data or "", summary=form.summary.data, actor=current_user)
    except law_changes.ChangeError as exc:
        form.summary.errors.append(ERRORS[exc.code])
        return render_template("laws/change_new.html", law=law, form=form, impact=None), 400
    db.session.commit()
    flash(_("Perubahan dicatat: %(m)s modul dan %(q)s soal ditandai, %(r)s tugas tinjauan dibuka.",
            m=len(impact.modules), q=impact.questions, r=len(change.reviews)), "success")
    return redirect(url_for("laws.change", change_id=change.id))


@bp.get("/changes/<int:change_id>")
@staff_required
def change(change_id: int):
    change = db.session.get(LawChange, change_id) or abort(404)
    return render_template("laws/change.html", change=change,
                           renewals=law_changes.renewals_of(change))


@bp.get("/reviews")
@staff_required
def reviews():
    return render_template("laws/reviews.html", reviews=law_changes.open_reviews(),
                           changes=law_changes.changes(20))


def _review_page(review: LawReview, form: CloseReviewForm, status: int = 200):
    return render_template("laws/review.html", review=review, form=form,
                           draft=law_changes.pending_revision(review) if review.closed_at is None
                           else None,
                           figures=law_changes.recertify_figures(review)), status


@bp.route("/reviews/<int:review_id>", methods=["GET", "POST"])
@staff_required
def review(review_id: int):
    review = db.session.get(LawReview, review_id) or abort(404)
    form = CloseReviewForm()
    if request.method == "GET":
        return _review_page(review, form)
    if not form.validate():
        return _review_page(review, form, 400)
    try:
        marked = law_changes.close_review(review, outcome=form.outcome.data,
                                          note=form.note.data or "", actor=current_user,
                                          recertify=bool(form.recertify.data))
    except law_changes.ChangeError as exc:
        form.outcome.errors.append(ERRORS[exc.code])
        return _review_page(review, form, 400)
    db.session.commit()
    message = _("Tinjauan ditutup.")
    if marked:
        message += " " + _("%(n)s sertifikat ditandai perlu diperbarui.", n=marked)
    flash(message, "success")
    return redirect(url_for("laws.change", change_id=review.change_id))
