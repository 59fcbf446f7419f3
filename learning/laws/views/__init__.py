"""The register's and law changes' pages. Importing this package registers the routes."""
from ..blueprint import bp  # noqa: F401
from . import changes, register  # noqa: F401  (registers the routes)
