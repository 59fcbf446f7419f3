"""The officer's blueprints: pages, offline reading, and preferences."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("learner", __name__)
offline_bp = Blueprint("offline", __name__)
preferences_bp = Blueprint("preferences", __name__)
