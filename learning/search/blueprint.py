"""Search for everyone who reads, at /search."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__)
