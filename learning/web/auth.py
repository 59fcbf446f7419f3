"""Signing in and out, changing the password, and choosing the language."""
from __future__ import annotations

from flask import (Blueprint, current_app, flash, make_response, redirect, render_template,
                   request, session, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from learning.accounts import AccountError, authenticate, change_password, end_all_sessions, start_session
from learning.extensions import db, limiter
from .forms import ChangePasswordForm, EmptyForm, LanguageForm, LoginForm, password_message
from .navigation import safe_next

bp = Blueprint("auth", __name__)

FAILED_LOGIN = 401


def _account_key() -> str:
    return "login-account:" + (request.form.get("identifier") or "").strip().lower()


def _failed(response) -> bool:
    return response.status_code == FAILED_LOGIN


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learner.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if request.method == "POST":
        if not form.validate():
            status = 400
        else:
            user = authenticate(form.identifier.data, form.password.data)
            if user is None:
                flash(_("Nama pengguna/NIP atau kata sandi salah."), "error")
                status = FAILED_LOGIN
            else:
                kept = {k: session[k] for k in ("pending_answers",) if k in session}
                session.clear()
                session.update(kept)
                session.permanent = True
                start_session(user, current_app.permanent_session_lifetime,
                              request.headers.get("User-Agent", ""))
                login_user(user)
                db.session.commit()
                return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form,
                           language_form=LanguageForm(lang=_current_lang())), status


def _current_lang() -> str:
    from flask_babel import get_locale
    return str(get_locale() or "id")


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if not form.validate():
        flash(_("Formulir kedaluwarsa. Silakan coba keluar lagi."), "error")
        return redirect(url_for("learner.dashboard"))
    if current_user.is_authenticated:
        end_all_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"], endpoint="change_password")
@login_required
def change_password_page():
    form = ChangePasswordForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            if not current_user.check_password(form.current.data):
                form.current.errors.append(_("Kata sandi saat ini salah."))
            else:
                try:
                    user = current_user._get_current_object()
                    change_password(user, form.new.data)
                except AccountError as exc:
                    form.new.errors.append(password_message(str(exc)))
                else:
                    start_session(user, current_app.permanent_session_lifetime,
                                  request.headers.get("User-Agent", ""))
                    login_user(user)
                    db.session.commit()
                    flash(_("Kata sandi sudah diganti. Sesi lain Anda sudah diakhiri."), "info")
                    return redirect(url_for("learner.dashboard"))
    return render_template("auth/change_password.html", form=form), status


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if not form.validate():
        return redirect(url_for("learner.dashboard"))
    lang = form.lang.data
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    session["locale"] = lang
    response = make_response(redirect(safe_next(form.next.data)))
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
