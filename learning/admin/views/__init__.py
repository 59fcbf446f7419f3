"""The administration pages. Importing this package registers every route on the admin blueprint."""
from ..blueprint import bp  # noqa: F401
from . import assignments, csv_imports, organisation, people  # noqa: F401  (registers the routes)
