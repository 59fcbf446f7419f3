"""Certificate pages. Importing this package registers every route on the certificates blueprint."""
from ..blueprint import bp  # noqa: F401
from . import certificates, mail_preferences, open_badge, verification  # noqa: F401  (routes)
