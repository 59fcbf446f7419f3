"""One log line per request on standard output: request id, method, path, status, user, duration.

The request id comes from the reverse proxy (nginx sets `X-Request-Id` to its own `$request_id`,
which its access log also records), or is made here; it is sent back in the response header, so a
complaint, the proxy's log and the app's log point at the same request.
"""
from __future__ import annotations

import logging
import re
import secrets
import sys
import time

from flask import Flask, Response, g, request
import sqlalchemy as sa
from flask_login import current_user

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
LOGGER_NAME = "pimpasa.request"


def _user_id() -> str:
    loaded = getattr(current_user, "_get_current_object", lambda: current_user)()
    state = sa.inspect(loaded, raiseerr=False)  # None for the anonymous user
    if state is None:
        return "-"
    identity = state.identity
    return str(identity[0]) if identity else "?"


def configure_logging(app: Flask) -> None:
    """Outside tests, the app's loggers write to standard output at LOG_LEVEL (INFO).

    Neither gunicorn nor `python app.py` gives the root logger a handler, so the lines still
    propagate (test log capture keeps working) without being written twice."""
    from flask.logging import default_handler

    level = getattr(logging, str(app.config.get("LOG_LEVEL", "INFO")).upper(), logging.INFO)
    logging.getLogger(LOGGER_NAME).setLevel(level)
    if app.testing:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler._pimpasa = True
    handler.setFormatter(logging.Formatter("%(asctime)s [%(process)d] [%(levelname)s] %(name)s: "
                                           "%(message)s", "%Y-%m-%d %H:%M:%S %z"))
    app.logger.removeHandler(default_handler)  # standard output, not Flask's stderr default
    for name in (LOGGER_NAME, app.logger.name):
        logger = logging.getLogger(name)
        if not any(getattr(h, "_pimpasa", False) for h in logger.handlers):
            logger.addHandler(handler)
        logger.setLevel(level)


def init_request_log(app: Flask) -> None:
    configure_logging(app)
    logger = logging.getLogger(LOGGER_NAME)

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.match(given) else secrets.token_hex(8)
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        request_id = g.get("request_id") or secrets.token_hex(8)
        response.headers["X-Request-Id"] = request_id
        started = g.get("request_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        try:
            # the user's id: never get_id(), which is the secret session token; read from the
            # identity map, so a user expired by the view's commit is not loaded again
            user = _user_id()
        except Exception:  # the user could not be loaded: still log the request
            user = "?"
        logger.info("request_id=%s method=%s path=%s status=%s user=%s duration_ms=%.1f",
                    request_id, request.method, request.path, response.status_code, user or "-",
                    duration_ms)
        return response
