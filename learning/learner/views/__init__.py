"""The officer's pages. Importing this package registers every route on the learner blueprints."""
from ..blueprint import bp, offline_bp, preferences_bp  # noqa: F401
from . import offline, pages, preferences, takeaways  # noqa: F401  (registers the routes)
