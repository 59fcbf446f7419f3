"""The quiz blueprint: taking a quiz, its result and its review."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quiz", __name__)
