"""E-mail preferences: officers opt out of non-essential mail, signed in or from a mail's link.

The link in every non-essential mail carries a signed token naming the user, so it works
without signing in (a phone's mail app rarely has a session). Opening it changes nothing; the
button on the page (or a mail client's RFC 8058 one-click POST) does. Essential mail (overdue
assigned training) is sent regardless; the pages say so.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from learning.extensions import csrf, db
from learning.models import User
from learning.certificates.messages import user_id_from_token
from learning.certificates.forms import EmailPreferencesForm
from .certificates import bp


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def email_preferences():
    if request.method == "POST":
        # formdata given explicitly: an unchecked box posts nothing, which is an answer too
        form = EmailPreferencesForm(formdata=request.form)
        if not form.validate():
            return render_template("certificates/email_preferences.html", form=form), 400
        current_user.email_opt_out = not form.optional_mail.data
        db.session.commit()
        flash(_("Pengaturan email disimpan."), "success")
        return redirect(url_for("certificates.email_preferences"), 303)
    form = EmailPreferencesForm(optional_mail=not current_user.email_opt_out)
    return render_template("certificates/email_preferences.html", form=form)


@bp.route("/email/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; mail clients post here without a form (RFC 8058)
def email_stop(token: str):
    user_id = user_id_from_token(token, current_app.config["SECRET_KEY"])
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is None:
        abort(404)
    if request.method == "POST":
        user.email_opt_out = True
        db.session.commit()
        return render_template("certificates/email_stop.html", token=token, stopped=True)
    return render_template("certificates/email_stop.html", token=token,
                           stopped=user.email_opt_out)
