"""Static files under content-hashed names (css/site.1a2b3c4d.css) with a year-long cache.

A changed file gets a new name, so browsers on slow connections can keep every asset forever.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Blueprint, Flask, Response, abort, current_app, request, url_for

bp = Blueprint("assets", __name__)
YEAR = 365 * 24 * 3600


def _hashed_name(relative: str, digest: str) -> str:
    path = Path(relative)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def build_manifest(static_folder: Path) -> dict[str, str]:
    """Map each static file's path to its hashed name."""
    manifest = {}
    for path in sorted(static_folder.rglob("*")):
        if path.is_file():
            relative = path.relative_to(static_folder).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            manifest[relative] = _hashed_name(relative, digest)
    return manifest


def asset_url(relative: str) -> str:
    manifest = current_app.extensions["asset_manifest"]
    if current_app.debug:  # files change while developing
        manifest.update(build_manifest(Path(current_app.static_folder)))
    hashed = manifest.get(relative)
    if hashed is None:
        return url_for("static", filename=relative)
    return url_for("assets.asset", hashed=hashed)


COMPRESSIBLE_SUFFIXES = {".css", ".js", ".svg", ".json", ".txt", ".html", ".webmanifest"}


@lru_cache(maxsize=512)
def _encoded(path: str, digest: str, encoding: str) -> bytes:
    """The file's bytes in `encoding`, compressed once at the highest level and kept in memory:
    a hashed name never changes, and these files are small."""
    data = Path(path).read_bytes()
    if encoding == "br":
        return brotli.compress(data, quality=11)
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=9, mtime=0)
    return data


def _best_encoding(path: Path) -> str:
    if path.suffix not in COMPRESSIBLE_SUFFIXES:
        return "identity"
    accepted = request.headers.get("Accept-Encoding", "").lower()
    return "br" if "br" in accepted else "gzip" if "gzip" in accepted else "identity"


@bp.get("/a/<path:hashed>")
def asset(hashed: str):
    reverse = current_app.extensions["asset_reverse"]
    relative = reverse.get(hashed)
    if relative is None:
        abort(404)
    path = Path(current_app.static_folder) / relative
    encoding = _best_encoding(path)
    body = _encoded(str(path), hashed, encoding)
    response = Response(body, mimetype=mimetypes.guess_type(relative)[0] or "application/octet-stream")
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    if path.suffix in COMPRESSIBLE_SUFFIXES:
        response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.set_etag(hashed)
    return response.make_conditional(request)


class _SessionlessAssets:
    """The app's session interface, except that hashed assets never save the session.

    Otherwise each asset response would carry a refreshed session cookie and `Vary: Cookie`;
    as the cookie changes on every request, browsers could not reuse the year-long cached
    copy and would ask again (and every asset would be a few hundred bytes heavier)."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def save_session(self, app, session, response):
        if request.endpoint == "assets.asset":
            return None
        return self._inner.save_session(app, session, response)


def init_assets(app: Flask) -> None:
    if not isinstance(app.session_interface, _SessionlessAssets):
        app.session_interface = _SessionlessAssets(app.session_interface)
    manifest = build_manifest(Path(app.static_folder))
    app.extensions["asset_manifest"] = manifest
    app.extensions["asset_reverse"] = {v: k for k, v in manifest.items()}
    app.register_blueprint(bp)
    app.jinja_env.globals["asset_url"] = asset_url
