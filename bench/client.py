"""A small HTTP/1.1 client that behaves like a browser for the benchmarks: keep-alive, cookies, CSRF.

Standard library only (http.client), so the write storm and slow-client runs measure the server and
not a heavy client. One `Browser` per simulated person; it is not thread-safe.
"""
from __future__ import annotations

import http.client
import json
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from .server import BenchError

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>', re.I)
VALUE = re.compile(r'value="([^"]*)"')
DATA_CSRF = re.compile(r'data-csrf="([^"]+)"')
RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
             http.client.CannotSendRequest, http.client.BadStatusLine)


def csrf_token_in(html: str) -> str | None:
    """The CSRF token of a page: a csrf_token hidden input, or the lesson's data-csrf attribute."""
    match = DATA_CSRF.search(html)
    if match:
        return match.group(1)
    for tag in CSRF_INPUT.findall(html):
        value = VALUE.search(tag)
        if value:
            return value.group(1)
    return None


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body or b"null")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    """Cookies and one keep-alive connection to one server."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def _store_cookies(self, headers: list[tuple[str, str]]) -> None:
        for name, value in headers:
            if name.lower() != "set-cookie":
                continue
            pair = value.split(";", 1)[0]
            key, _, cookie = pair.partition("=")
            expired = re.search(r"(?i)max-age=0|expires=thu, 01 jan 1970", value)
            if expired or cookie == "":
                self.cookies.pop(key.strip(), None)
            else:
                self.cookies[key.strip()] = cookie.strip()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, retry: bool = True) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            conn = self._connection()
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
        except RETRYABLE:
            # The server closed an idle keep-alive connection (or a worker restarted): reconnect once.
            self.close()
            if not retry:
                raise
            return self.request(method, path, body, headers, retry=False)
        seconds = time.perf_counter() - started
        self._store_cookies(raw.getheaders())
        if raw.getheader("connection", "").lower() == "close":
            self.close()
        return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, seconds)

    def get(self, path: str) -> Response:
        response = self.request("GET", path)
        if response.status == 200 and "text/html" in response.headers.get("content-type", ""):
            self.csrf = csrf_token_in(response.text) or self.csrf
        return response

    def post_form(self, path: str, fields: dict, *, csrf: bool = True) -> Response:
        data = dict(fields)
        if csrf and self.csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf
        return self.request("POST", path, urlencode(data).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, payload) -> Response:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.csrf:
            headers["X-CSRFToken"] = self.csrf
        return self.request("POST", path, json.dumps(payload).encode(), headers)

    def sign_in(self, username: str, password: str) -> float:
        """Sign in through /login like a person; return the seconds the POST took."""
        page = self.get("/login")
        if page.status != 200 or not self.csrf:
            raise SignInFailed(f"{username}: GET /login answered {page.status}")
        response = self.post_form("/login", {"identifier": username, "password": password,
                                             "next": ""})
        if response.status != 302:
            raise SignInFailed(f"{username}: POST /login answered {response.status}")
        landing = self.get("/")
        if landing.status != 200:
            raise SignInFailed(f"{username}: dashboard after sign-in answered {landing.status}")
        return response.seconds

    @property
    def session_cookie(self) -> dict[str, str]:
        return dict(self.cookies)


class SignInFailed(BenchError):
    pass
