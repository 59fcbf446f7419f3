"""Second chances over the web: the grant form and the list of grants with its totals (trainers
and administrators only). Thin: parse, call learning.grants.granting, commit once, render."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from learning.extensions import db
from learning.models import Quiz, utcnow
from learning.web.access import staff_required
from . import granting

bp = Blueprint("grants", __name__, url_prefix="/grants")


class GrantForm(FlaskForm):
    officer = StringField(_l("Petugas (nama pengguna atau NIP)"),
                          validators=[DataRequired(), Length(max=80)])
    quiz = SelectField(_l("Kuis"), coerce=int, validators=[DataRequired()])
    extra_attempts = IntegerField(_l("Percobaan tambahan"), default=1, validators=[
        Optional(), NumberRange(0, granting.MAX_EXTRA_ATTEMPTS)])
    extra_minutes = IntegerField(_l("Menit tambahan (untuk kuis berbatas waktu)"), default=0,
                                 validators=[Optional(), NumberRange(0, granting.MAX_EXTRA_MINUTES)])
    reason = TextAreaField(_l("Alasan"), validators=[DataRequired(), Length(max=granting.MAX_REASON)])


def _refusal(code: str) -> str:
    return {
        "not_officer": _("Petugas tidak ditemukan. Tulis nama pengguna atau NIP petugas yang aktif."),
        "no_reason": _("Tulis alasannya."),
        "nothing": _("Isi percobaan tambahan atau menit tambahan (paling sedikit salah satu)."),
        "out_of_range": _("Jumlah di luar batas yang diizinkan."),
    }.get(code, _("Kesempatan tambahan tidak dapat diberikan."))


@bp.route("/", methods=["GET", "POST"], endpoint="index")
@staff_required
def index():
    form = GrantForm()
    quizzes = list(db.session.scalars(sa.select(Quiz).where(Quiz.published_revision_id.is_not(None))
                                      .order_by(Quiz.title)))
    form.quiz.choices = [(q.id, q.title) for q in quizzes]
    if request.method == "GET" and request.args.get("officer"):
        form.officer.data = request.args["officer"][:80]
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            quiz = db.session.get(Quiz, form.quiz.data)
            officer = granting.find_officer(form.officer.data)
            try:
                if quiz is None:
                    raise granting.GrantRefused("no_quiz")
                granting.grant(current_user._get_current_object(), officer, quiz,
                               extra_attempts=form.extra_attempts.data or 0,
                               extra_minutes=form.extra_minutes.data or 0,
                               reason=form.reason.data, now=utcnow())
            except granting.GrantRefused as exc:
                db.session.rollback()
                target = form.officer if exc.code == "not_officer" else form.reason
                target.errors = list(target.errors) + [_refusal(exc.code)]
            else:
                db.session.commit()
                flash(_("Kesempatan tambahan untuk %(name)s pada %(quiz)s sudah dicatat: "
                        "%(a)s percobaan, %(m)s menit. Petugas bisa langsung mengerjakannya.",
                        name=officer.full_name or officer.username, quiz=quiz.title,
                        a=form.extra_attempts.data or 0, m=form.extra_minutes.data or 0),
                      "success")
                return redirect(url_for("grants.index"), 303)
    return render_template("grants/index.html", form=form, figures=granting.figures(),
                           grants=granting.recent()), status
