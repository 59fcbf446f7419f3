"""The blended-training pages; importing the modules registers their routes on `bp`."""
from ..blueprint import bp
from . import dashboard, manage, officer, reports  # noqa: F401

__all__ = ["bp", "dashboard", "manage", "officer", "reports"]
