"""The studio's pages. Importing this package registers every route on the studio blueprints."""
from ..blueprint import bp, media_bp  # noqa: F401
from . import history, media, modules, question_banks, quizzes, tools  # noqa: F401  (registers the routes)
