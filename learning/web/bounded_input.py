"""Bounded request input: JSON bodies, integers in URLs and numbers in forms.

Every JSON body the app reads (quiz autosave, the reading heartbeat, `/progress/events`) goes
through `BoundedJSONProvider.loads`, which refuses a body nested deeper than MAX_JSON_DEPTH or
longer than MAX_JSON_CHARS with a 400 that says why, before the parser could recurse out of
stack. `request.get_json(silent=True)` does not swallow that refusal: it is an HTTP error, not a
ValueError.

`IntegerConverter` here replaces the `int` URL converter: a number beyond the database's integer
range (2**31 - 1) matches no route, so `/quiz/attempts/99999999999999999999` is a 404 instead of
an integer overflow in the database driver.
"""
from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest
from werkzeug import routing

from learning.control_chars import has_control_characters

MAX_JSON_DEPTH = 20
MAX_JSON_CHARS = 1_000_000
DB_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; SQLite accepts more, but ids never get there

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JSONRefused(BadRequest):
    """A JSON body refused before parsing; `reason` is "too_deep", "too_large", "bad_encoding" or "bad_text"."""

    def __init__(self, reason: str):
        super().__init__(description=reason)
        self.reason = reason


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when brackets outside strings nest deeper than `limit` (stops at the first excess)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def check_json_text(data: str | bytes) -> str:
    """The JSON text of `data`, or JSONRefused when it is too large or too deeply nested."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_JSON_CHARS * 4:
            raise JSONRefused("too_large")
        try:
            data = bytes(data).decode(json.detect_encoding(data))
        except UnicodeDecodeError:
            raise JSONRefused("bad_encoding") from None
    if len(data) > MAX_JSON_CHARS:
        raise JSONRefused("too_large")
    if json_depth_exceeds(data):
        raise JSONRefused("too_deep")
    return data




def _has_bad_text(value: Any) -> bool:
    """True when a string anywhere in a parsed (depth-checked) value holds a control character."""
    if isinstance(value, str):
        return has_control_characters(value)
    if isinstance(value, dict):
        return any(_has_bad_text(k) or _has_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bad_text(item) for item in value)
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with a depth and size check before parsing and a text check after."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        value = super().loads(check_json_text(s), **kwargs)
        if _has_bad_text(value):
            raise JSONRefused("bad_text")
        return value


def parse_db_int(text: object) -> int | None:
    """`text` as a whole number from 0 to DB_INT_MAX written in ASCII digits, else None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > 10 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= DB_INT_MAX else None


def arg_int(name: str, default: int | None = None) -> int | None:
    """The query-string argument `name` as a bounded whole number, or `default`."""
    from flask import request

    value = parse_db_int(request.args.get(name))
    return default if value is None else value


class IntegerConverter(routing.IntegerConverter):
    """`<int:...>` limited to the database's integer range (404 beyond). Same class name as
    werkzeug's, so code that asks a rule for its converter's kind still reads "integer"."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 (werkzeug's signature)
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def init_bounded_input(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)
    app.url_map.converters["int"] = IntegerConverter
