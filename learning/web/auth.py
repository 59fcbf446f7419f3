"""Signing in and out, changing the password, and choosing the language."""
from __future__ import annotations

from datetime import timedelta

from flask import (Blueprint, current_app, flash, make_response, redirect, render_template,
                   request, session, url_for)
from flask_babel import format_time, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from learning import throttle
from learning.accounts import (MIN_PASSWORD_LENGTH, AccountError, authenticate, change_password,
                               end_all_sessions, find_user_for_login, start_session)
from learning.extensions import db
from learning.models import utcnow
from .forms import ChangePasswordForm, EmptyForm, LanguageForm, LoginForm, password_message
from .navigation import safe_next

bp = Blueprint("auth", __name__)

FAILED_LOGIN = 401
TOO_MANY = 429


def _guess_limits(user_id: int | None, identifier: str) -> list[tuple[str, str]]:
    config = current_app.config
    return [(throttle.account_key(user_id, identifier), config["LOGIN_LIMIT_PER_ACCOUNT"]),
            (throttle.address_key(request.remote_addr), config["LOGIN_LIMIT_PER_ADDRESS"])]


def _try_again_message(verdict: throttle.Verdict) -> str:
    when = format_time(utcnow() + timedelta(seconds=verdict.retry_after), "HH:mm")
    return _("Terlalu banyak percobaan. Coba lagi pukul %(time)s (%(minutes)s menit lagi).",
             time=when, minutes=verdict.retry_minutes)


def _refused(response, verdict: throttle.Verdict):
    response.status_code = TOO_MANY
    response.headers["Retry-After"] = str(verdict.retry_after)
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learner.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    verdict = None
    if request.method == "POST":
        if not form.validate():
            status = 400
        else:
            known = find_user_for_login(form.identifier.data)
            verdict = throttle.count_guess(
                _guess_limits(known.id if known else None, form.identifier.data))
            user = authenticate(form.identifier.data, form.password.data) if verdict.allowed \
                else None
            if not verdict.allowed:
                flash(_try_again_message(verdict), "error")
                status = TOO_MANY
            elif user is None:
                flash(_("Nama pengguna/NIP atau kata sandi salah."), "error")
                status = FAILED_LOGIN
            else:
                throttle.give_back(verdict)
                kept = {k: session[k] for k in ("pending_answers",) if k in session}
                session.clear()
                session.update(kept)
                session.permanent = True
                start_session(user, current_app.permanent_session_lifetime,
                              request.headers.get("User-Agent", ""))
                login_user(user)
                db.session.commit()
                return redirect(safe_next(form.next.data))
            db.session.commit()  # the failed guess is counted (database store)
    response = make_response(render_template("auth/login.html", form=form,
                                              language_form=LanguageForm(lang=_current_lang())),
                             status)
    return _refused(response, verdict) if status == TOO_MANY else response


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
            verdict = throttle.count_guess(_guess_limits(current_user.id, ""))
            if not verdict.allowed:
                form.current.errors.append(_try_again_message(verdict))
                db.session.commit()
                response = make_response(render_template("auth/change_password.html", form=form,
                                                         min_password=MIN_PASSWORD_LENGTH))
                return _refused(response, verdict)
            if not current_user.check_password(form.current.data):
                form.current.errors.append(_("Kata sandi saat ini salah."))
                db.session.commit()  # the failed guess is counted (database store)
            else:
                throttle.give_back(verdict)
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
    return render_template("auth/change_password.html", form=form,
                                                         min_password=MIN_PASSWORD_LENGTH), status


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
