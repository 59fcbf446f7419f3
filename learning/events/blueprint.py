"""The blended-training blueprint (views import `bp` from here)."""
from flask import Blueprint

bp = Blueprint("events", __name__)
