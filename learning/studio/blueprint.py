"""The studio's blueprints: the trainer studio under /studio, and images (upload and serving)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("studio", __name__, url_prefix="/studio")
media_bp = Blueprint("media", __name__)
