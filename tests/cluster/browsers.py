"""A browser per person, pointed at nginx or at one app server (bench/client.py)."""
from __future__ import annotations

from bench.client import Browser

NGINX, APP = "nginx", "app"


def browser(url: str, address: str | None = None) -> Browser:
    """A Browser; `address` is sent as X-Forwarded-For (a client behind the one trusted proxy)."""
    b = Browser(url, timeout=30)
    if address:
        original = b.request

        def request(method, path, body=None, headers=None, retry=True):
            headers = dict(headers or {}, **{"X-Forwarded-For": address})
            return original(method, path, body, headers, retry)

        b.request = request
    return b


def sign_in_status(b: Browser, identifier: str, password: str) -> int:
    page = b.get("/login")
    assert page.status == 200 and b.csrf
    return b.post_form("/login", {"identifier": identifier, "password": password, "next": ""}).status
