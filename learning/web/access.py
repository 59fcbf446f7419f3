"""Who may do what: sign-in sessions and role checks for every route."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_url

from learning.accounts import user_for_session
from learning.extensions import login_manager
from learning.models import Role


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(user_for_session)

    @login_manager.unauthorized_handler
    def _unauthorized():
        # The front door is a welcome, not a refusal: no "please sign in" notice for '/'.
        if request.path != "/":
            flash(login_manager.login_message, login_manager.login_message_category)
        return redirect(login_url(login_manager.login_view, next_url=request.url))

    @app.before_request
    def _force_password_change():
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in {"auth.change_password", "auth.logout", "static",
                                             "ops.healthz", "auth.set_language"}):
            flash(_l("Ganti kata sandi sementara Anda sebelum melanjutkan."), "info")
            return redirect(url_for("auth.change_password"))
        return None


def roles_required(*roles: Role):
    """Sign-in required, and the user must have one of `roles` (else 403)."""
    allowed = {r.value for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


staff_required = roles_required(Role.TRAINER, Role.ADMIN)
admin_required = roles_required(Role.ADMIN)
