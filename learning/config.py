"""Configuration read from the environment. `create_app(config)` picks one of these classes."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'pimpasa.db'}"


class Config:
    """Defaults for every environment; each value may be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY")  # filled from instance/secret_key when absent
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    CONTENT_ROOT = Path(os.environ.get("CONTENT_ROOT", ROOT))  # holds courses/ and quizzes/
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT")  # optional shared folder for images; default: database

    # Sessions: server-side rows, the cookie only carries a random token.
    SESSION_COOKIE_NAME = "pimpasa_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "12")))
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    # Number of reverse proxies in front of the app whose X-Forwarded-For is trusted (rate limits
    # and logs then see the officer's address instead of the proxy's).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(8 * 1024 * 1024)))
    # Studio image uploads may be larger than other requests (phone photos); they are re-encoded.
    MEDIA_MAX_UPLOAD_BYTES = int(os.environ.get("MEDIA_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
    WTF_CSRF_TIME_LIMIT = 12 * 3600

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Jakarta")
    LANGUAGES = ("id", "en")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes")
    # Where failed sign-ins are counted (learning/throttle.py): "database", or a redis:// URL.
    # Empty: Redis when RATELIMIT_STORAGE_URI names Redis, the database otherwise.
    LOGIN_THROTTLE_STORAGE = os.environ.get("LOGIN_THROTTLE_STORAGE", "")
    LOGIN_THROTTLE_PREFIX = os.environ.get("LOGIN_THROTTLE_PREFIX", "pimpasa:throttle:")
    # Log level of the app's own lines (one per request, with request id, user, status, duration).
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # Time on a module: a heartbeat gap longer than this is idle time and not counted.
    PROGRESS_IDLE_CAP_SECONDS = 120
    # Reading time the server credits per module and local day: at most this multiple of the
    # module's minutes (learning.learner.reading_time); a device clock may run this far ahead.
    READING_DAY_CAP_FACTOR = float(os.environ.get("READING_DAY_CAP_FACTOR", "3"))
    READING_CLOCK_SKEW_SECONDS = int(os.environ.get("READING_CLOCK_SKEW_SECONDS", "120"))
    IMPORT_CURRICULUM_ON_START = _env_bool("IMPORT_CURRICULUM_ON_START", True)

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Pimpasa Learning <noreply@localhost>")
    # Certificates, refresher cycles and reminders (docs/certificates.md, docs/deployment.md).
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)  # TLS from the first byte (port 465)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    CERT_SIGNING_KEY = os.environ.get("CERT_SIGNING_KEY")  # default: instance/ key file
    CERT_VERIFY_LIMIT = os.environ.get("CERT_VERIFY_LIMIT", "30 per minute")
    REFRESHER_NOTICE_DAYS = int(os.environ.get("REFRESHER_NOTICE_DAYS", "60"))
    REFRESHER_GRACE_DAYS = int(os.environ.get("REFRESHER_GRACE_DAYS", "30"))
    REMINDER_DUE_DAYS = int(os.environ.get("REMINDER_DUE_DAYS", "7"))
    REMINDER_STALE_MINUTES = int(os.environ.get("REMINDER_STALE_MINUTES", "30"))
    REMINDER_MAX_ATTEMPTS = int(os.environ.get("REMINDER_MAX_ATTEMPTS", "3"))

    REVIEW_PERIOD_DAYS = int(os.environ.get("REVIEW_PERIOD_DAYS", "365"))
    # Item analysis on the quiz report: a question is flagged for review when its discrimination
    # index is below the threshold, once its revision has at least this many submitted attempts.
    ITEM_DISCRIMINATION_THRESHOLD = float(os.environ.get("ITEM_DISCRIMINATION_THRESHOLD", "0.20"))
    ITEM_ANALYSIS_MIN_ATTEMPTS = int(os.environ.get("ITEM_ANALYSIS_MIN_ATTEMPTS", "20"))
    SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:5000")
    # Interoperability (docs/interoperability.md): the Open Badges issuer and the xAPI LRS.
    OB_ISSUER_NAME = os.environ.get("OB_ISSUER_NAME", "Direktorat Jenderal Imigrasi")
    XAPI_ENDPOINT = os.environ.get("XAPI_ENDPOINT", "")  # empty: statements wait in the outbox
    XAPI_USERNAME = os.environ.get("XAPI_USERNAME", "")
    XAPI_PASSWORD = os.environ.get("XAPI_PASSWORD", "")
    XAPI_TIMEOUT = float(os.environ.get("XAPI_TIMEOUT", "10"))
    XAPI_BATCH = int(os.environ.get("XAPI_BATCH", "50"))
    XAPI_KEEP_SENT_DAYS = int(os.environ.get("XAPI_KEEP_SENT_DAYS", "90"))


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    DEBUG = False
    TESTING = False


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False  # individual tests switch it back on to test CSRF itself
    IMPORT_CURRICULUM_ON_START = False
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_THROTTLE_STORAGE = "database"
    SECRET_KEY = "test-secret-key-not-for-production"
