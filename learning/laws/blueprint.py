"""The register of laws and law changes, under /laws."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("laws", __name__, url_prefix="/laws")
