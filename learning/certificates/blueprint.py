"""The certificates blueprint: the officer's certificates, verification and mail preferences."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("certificates", __name__)
