"""Security headers on every response, and response compression."""
from __future__ import annotations

import gzip

import brotli
from flask import Flask, Response, request

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; "
       "manifest-src 'self'; worker-src 'self'")
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml",
                "application/manifest+json")
MIN_COMPRESS_BYTES = 500


def _compress(response: Response) -> None:
    if (response.direct_passthrough or response.status_code < 200 or response.status_code >= 300
            or "Content-Encoding" in response.headers
            or not (response.mimetype or "").startswith(COMPRESSIBLE)):
        return
    accepted = request.headers.get("Accept-Encoding", "").lower()
    body = response.get_data()
    if len(body) < MIN_COMPRESS_BYTES:
        return
    if "br" in accepted:
        response.set_data(brotli.compress(body, quality=5))
        response.headers["Content-Encoding"] = "br"
    elif "gzip" in accepted:
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
    else:
        return
    response.headers["Content-Length"] = str(len(response.get_data()))
    response.vary.add("Accept-Encoding")


def init_headers(app: Flask) -> None:
    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html" and "Cache-Control" not in headers:
            headers["Cache-Control"] = "private, no-cache"
        _compress(response)
        return response
