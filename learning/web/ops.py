"""Operations: the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from learning.extensions import db

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        current_app.logger.exception("health check: database did not answer")
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")
