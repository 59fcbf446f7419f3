"""Validators for pages: an unchanged page is answered with 304 Not Modified and no body.

The ETag is computed over the rendered body, so it is honest: any change a user would see (new
revision, progress, a flashed message, the language) gives a new tag. One part of a page changes
on every request without changing what it means: the signed CSRF token carries its issue time.
It is left out of the hash; in its place go the session's CSRF secret (a new sign-in gives new
tags) and the half of the token lifetime we are in, so a page answered with 304 always holds a
token with at least half its lifetime left.
"""
from __future__ import annotations

import hashlib
import time

from flask import Flask, Response, current_app, g, request, session

VALIDATED_TYPES = ("text/html", "application/manifest+json", "application/javascript")


def _token_window() -> str:
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    if not limit:
        return "-"
    return str(int(time.time() // max(1, limit // 2)))


def page_etag(body: bytes) -> str:
    """The tag of a rendered page for this session and token window."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    digest = hashlib.sha256()
    if token:
        body = body.replace(token.encode(), b"")
        digest.update(str(session.get(field, "")).encode())
        digest.update(_token_window().encode())
    digest.update(body)
    return digest.hexdigest()[:32]


def add_validators(response: Response) -> Response:
    if (request.method not in ("GET", "HEAD") or response.status_code != 200
            or response.direct_passthrough or response.is_streamed
            or response.mimetype not in VALIDATED_TYPES
            or "ETag" in response.headers or "no-store" in response.headers.get("Cache-Control", "")):
        return response
    # Weak: the same page is sent gzip, Brotli or plain, equal in meaning, not in bytes.
    response.set_etag(page_etag(response.get_data()), weak=True)
    return response.make_conditional(request)


def init_caching(app: Flask) -> None:
    """Register after the security headers: after_request runs in reverse order, so the tag is
    computed on the plain body and compression (in headers.py) comes after it."""
    app.after_request(add_validators)
