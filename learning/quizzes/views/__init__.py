"""Quiz pages. Importing this package registers every route on the quiz blueprint."""
from ..blueprint import bp  # noqa: F401
from . import rescue, taking  # noqa: F401  (registers the routes)
