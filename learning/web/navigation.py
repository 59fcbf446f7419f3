"""Safe redirects: only to paths on this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "learner.dashboard") -> str:
    """`target` when it is a local path (no scheme, no host, no '//' or '\\'), else the default."""
    if target:
        parts = urlsplit(target)
        if (not parts.scheme and not parts.netloc and target.startswith("/")
                and not target.startswith("//") and "\\" not in target):
            return target
    return url_for(default_endpoint)
