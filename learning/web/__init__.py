"""The web layer: blueprints are thin adapters over the domain functions."""
from __future__ import annotations

from flask import Flask

from . import access, assets, caching, errors, headers, templating


def register_web(app: Flask) -> None:
    from .auth import bp as auth_bp
    from .learner import bp as learner_bp
    from .ops import bp as ops_bp

    access.init_login(app)
    assets.init_assets(app)
    templating.init_templating(app)
    headers.init_headers(app)
    caching.init_caching(app)  # after headers: the ETag is taken before compression
    errors.init_errors(app)
    for blueprint in (auth_bp, learner_bp, ops_bp):
        app.register_blueprint(blueprint)
    _register_optional(app)


def _register_optional(app: Flask) -> None:
    """Blueprints of the later features, registered when their module exists."""
    import importlib

    for name in ("quiz", "admin", "reports", "studio", "certificates", "offline", "media",
                 "preferences"):
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        app.register_blueprint(module.bp)
