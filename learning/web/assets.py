"""Static files under content-hashed names (css/site.1a2b3c4d.css) with a year-long cache.

A changed file gets a new name, so browsers on slow connections can keep every asset forever.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, send_from_directory, url_for

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


@bp.get("/a/<path:hashed>")
def asset(hashed: str):
    reverse = current_app.extensions["asset_reverse"]
    relative = reverse.get(hashed)
    if relative is None:
        abort(404)
    response = send_from_directory(current_app.static_folder, relative, max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


def init_assets(app: Flask) -> None:
    manifest = build_manifest(Path(app.static_folder))
    app.extensions["asset_manifest"] = manifest
    app.extensions["asset_reverse"] = {v: k for k, v in manifest.items()}
    app.register_blueprint(bp)
    app.jinja_env.globals["asset_url"] = asset_url
