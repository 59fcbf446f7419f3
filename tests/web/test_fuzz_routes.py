"""Fuzzing every route: no input may give a 500 or leave a traceback in the log.

Every rule of the URL map is requested, by each role and anonymously, with generated path
parameters (real ids, 20-digit numbers, hostile text), query strings, form bodies (the field names
of every form in the app, so validation is reached), JSON bodies (100,000 `[` deep included),
invalid UTF-8 and file uploads. One pass sends a hostile request to every rule for every role, so
no route family is missed; Hypothesis then draws FUZZ_EXAMPLES more requests at random. Runs on
SQLite and, with DATABASE_URL, on PostgreSQL (which refuses NUL characters and integers beyond
2^31-1, so it finds what SQLite lets through).
"""
from __future__ import annotations

import io
import json
import logging
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from wtforms.fields.core import UnboundField

from learning.web.safe_form import SafeForm

from ..factories import import_sample_curriculum, login, make_office, make_user

ROLES = ("anonymous", "officer", "trainer", "admin")
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
SKIPPED_ENDPOINTS = {"static"}

HOSTILE_TEXT = [
    "\x00", "a\x00b", "\x1b[31m", "\x7f", "%00", "' OR 1=1 --", "<script>x</script>",
    "[" * 6000, "*" * 3000 + "a" + "*" * 3000, "".join("    " * i + "- x\n" for i in range(300)),
    "x" * 20000, "99999999999999999999", "-1", "1e400", "²", "NaN", "../../etc/passwd", "=1+1",
    "---\nslug: [" + "[" * 3000 + "\n---\n", " ", "",
]
HOSTILE_INTS = [0, -1, 1, 2, 3, 2**31 - 1, 2**31, 2**63, 10**20]
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def _form_field_names() -> list[str]:
    """The field names of every form in the app, and the answer fields of a quiz page."""
    names: set[str] = set()
    pending = list(SafeForm.__subclasses__())
    while pending:
        form = pending.pop()
        pending.extend(form.__subclasses__())
        for klass in form.__mro__:
            names.update(k for k, v in vars(klass).items() if isinstance(v, UnboundField))
    return sorted(names | {"q1", "q2", "q1-1", "q2-1", "action", "direction", "order", "q",
                           "rescue_token", "answers", "events"})


FIELDS = _form_field_names()

texts = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40),
                  st.integers().map(str), st.sampled_from(["contoh", "unsur", "save", "submit",
                                                           "preview", "1", "2026-13-45"]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20)


@st.composite
def bodies(draw):
    """(kind, payload) of a request body."""
    kind = draw(st.sampled_from(["none", "form", "form", "json", "deep", "bytes", "file"]))
    if kind == "form":
        keys = draw(st.lists(st.sampled_from(FIELDS), max_size=8))
        return kind, {key: draw(texts) for key in keys}
    if kind == "json":
        answers = draw(st.dictionaries(st.sampled_from(["q1", "q2", "q1-1"]), json_values,
                                       max_size=3))
        return kind, draw(st.sampled_from([{"answers": answers}, {"events": [answers]},
                                           answers, []]))
    if kind == "deep":
        return kind, DEEP_JSON
    if kind == "bytes":
        return kind, draw(st.binary(max_size=200)) + b"\xff\xfe%ff"
    if kind == "file":
        return kind, draw(st.binary(max_size=300))
    return kind, None


def _path_value(converter: str, draw) -> object:
    if converter == "IntegerConverter":
        return draw(st.sampled_from(HOSTILE_INTS) | st.integers(min_value=0))
    value = draw(texts)
    return value.replace("/", "-").replace("\x00", "%00") or "x"


@pytest.fixture
def world(app, db):
    """The sample curriculum, a region and office, a user of each role signed in on its own
    client, and an open attempt, so real ids exist for the path parameters."""
    import_sample_curriculum()
    office = make_office()
    clients = {"anonymous": app.test_client()}
    for role in ROLES[1:]:
        make_user(role=role, username=f"fuzz-{role}", office=office if role == "officer" else None,
                  nip="199001012015011001" if role == "officer" else None)
        client = app.test_client()
        assert login(client, f"fuzz-{role}").status_code == 302
        clients[role] = client
    clients["officer"].post("/courses/contoh/unsur/quiz")
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED_ENDPOINTS]
    return clients, rules


def _request(client, rule, values: dict, method: str, query: dict, body):
    from werkzeug.routing import BuildError

    try:
        url = rule.build(values, append_unknown=False)[1]
    except (BuildError, ValueError, TypeError):
        return None
    kind, payload = body
    options: dict = {"query_string": query}
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        if kind == "form":
            options["data"] = payload
        elif kind == "json":
            options["json"] = payload
        elif kind == "deep":
            options.update(data=payload, content_type="application/json")
        elif kind == "bytes":
            options.update(data=payload, content_type="application/x-www-form-urlencoded")
        elif kind == "file":
            options.update(data={"file": (io.BytesIO(payload), "berkas.csv")},
                           content_type="multipart/form-data")
    return client.open(url, method=method, **options)


def _check(response, caplog, what: str) -> None:
    if response is None:
        return
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert response.status_code != 500, what
    assert not errors, f"{what}: {errors[0].getMessage()}"
    assert b"Traceback" not in response.get_data(), what


def test_every_route_refuses_hostile_input_for_every_role(world, caplog):
    """One hostile request per rule, method and role: the route families are all covered."""
    clients, rules = world
    caplog.set_level(logging.ERROR)
    bodies_cycle = [("form", {name: "\x00" for name in FIELDS}), ("deep", DEEP_JSON),
                    ("json", {"answers": {"q1": ["\x00"]}, "events": [{"a": "\ud800"}]}),
                    ("bytes", b"\xff\xfe=%ff&q=%00"), ("file", b"\x00\xff" * 50)]
    count = 0
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                values = {name: (2**40 if type(conv).__name__ == "IntegerConverter" else "x\x00y")
                          for name, conv in rule._converters.items()}
                body = bodies_cycle[count % len(bodies_cycle)]
                query = {"q": "\x00", "page": "99999999999999999999", "course": "²"}
                response = _request(clients[role], rule, values, method, query, body)
                _check(response, caplog, f"{role} {method} {rule.rule} {body[0]}")
                count += 1
    assert count > 300  # every rule, method and role was tried


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_random_requests_never_fail_on_the_server(world, caplog, data):
    clients, rules = world
    caplog.clear()
    caplog.set_level(logging.ERROR)
    rule = data.draw(st.sampled_from(rules), label="rule")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})), label="method")
    role = data.draw(st.sampled_from(ROLES), label="role")
    values = {name: _path_value(type(conv).__name__, data.draw)
              for name, conv in rule._converters.items()}
    query = data.draw(st.dictionaries(st.sampled_from(["q", "page", "course", "from", "to", "role",
                                                       "status", "office", "region", "days",
                                                       "fmt", "next", "number", "p", "s"]),
                                      texts, max_size=3), label="query")
    body = data.draw(bodies(), label="body")
    response = _request(clients[role], rule, values, method, query, body)
    _check(response, caplog, f"{role} {method} {rule.rule} {body[0]} {json.dumps(query)[:200]}")
