"""Pimpasa Learning: training for the immigration service's village mentors (Pimpasa)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from .config import Config, TestConfig, default_database_url
from .extensions import babel, csrf, db, limiter, login_manager, migrate


def _secret_key(instance_path: Path) -> str:
    """A persistent random key in instance/secret_key, shared by every worker of one server."""
    path = instance_path / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_hex(32)
        handle.write(key)
    return key


def _config_from_environment() -> type:
    """APP_ENV=production selects ProductionConfig (secure cookies, no debug)."""
    from .config import ProductionConfig

    return ProductionConfig if os.environ.get("APP_ENV") == "production" else Config


def create_app(config: type | dict | None = None) -> Flask:
    """Build the application. `config` is a Config class or a mapping of overrides."""
    root = Path(__file__).resolve().parent.parent
    app = Flask(__name__, instance_path=str(root / "instance"),
                template_folder=str(root / "templates"), static_folder=str(root / "static"))
    if isinstance(config, dict):
        app.config.from_object(TestConfig if config.get("TESTING") else Config)
        app.config.update(config)
    else:
        app.config.from_object(config or _config_from_environment())
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = default_database_url(Path(app.instance_path))

    from . import models  # noqa: F401  (registers every table)
    from .database import configure_sqlite
    from .i18n import init_i18n
    from .web import register_web

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    init_i18n(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
    register_web(app)

    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"],
                                x_proto=app.config["TRUSTED_PROXIES"])

    from .reports import standing  # noqa: F401  (keeps the reports' course standings current)
    from .search import indexing  # noqa: F401  (keeps the search index current)
    from .xapi import recording  # noqa: F401  (writes xAPI statements with their events)
    from .admin import tenure  # noqa: F401  (notes when an officer moves office or region)
    from .cli import register_cli
    register_cli(app)
    return app
