"""The cross-cutting web layer: access control, assets, caching, headers, errors, templating,
sign-in and operations. Each feature package owns its own blueprints; `register_web` registers
them from one explicit list."""
from __future__ import annotations

from flask import Flask

from . import (access, assets, bounded_input, caching, errors, headers, request_log, safe_form,
               templating)


def register_web(app: Flask) -> None:
    from learning.admin.views import bp as admin_bp
    from learning.certificates.views import bp as certificates_bp
    from learning.grants.views import bp as grants_bp
    from learning.laws.views import bp as laws_bp
    from learning.events.views import bp as events_bp
    from learning.learner.views import bp as learner_bp, offline_bp, preferences_bp
    from learning.quizzes.views import bp as quiz_bp
    from learning.reports.views import bp as reports_bp
    from learning.search.views import bp as search_bp
    from learning.studio.views import bp as studio_bp, media_bp

    from .auth import bp as auth_bp
    from .ops import bp as ops_bp

    request_log.init_request_log(app)  # first: its after_request runs last, on the final status
    bounded_input.init_bounded_input(app)  # first: the int converter must exist before any rule
    safe_form.init_safe_input(app)
    access.init_login(app)
    assets.init_assets(app)
    templating.init_templating(app)
    headers.init_headers(app)
    caching.init_caching(app)  # after headers: the ETag is taken before compression
    errors.init_errors(app)
    for blueprint in (auth_bp, learner_bp, ops_bp, quiz_bp, admin_bp, reports_bp, studio_bp,
                      certificates_bp, offline_bp, media_bp, preferences_bp, laws_bp, search_bp,
                      events_bp, grants_bp):
        app.register_blueprint(blueprint)
