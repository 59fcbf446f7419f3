"""Twenty simultaneous submits of one attempt, against a real threaded server: one grading.

Runs on whatever database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL)."""
from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from learning.models import Attempt, AttemptAnswer, ModuleProgress

from ..factories import PASSWORD, import_sample_curriculum, make_user
from ..quiz_answers import answer_fields

SUBMITS = 20


@pytest.fixture
def server(app):
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join()


def post(port: int, path: str, body: str, cookie: str = "", accept: str = "text/html"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Accept": accept})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def session_cookie(headers) -> str:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("pimpasa_session="):
            return value.split(";", 1)[0]
    raise AssertionError("no session cookie")


def test_twenty_simultaneous_submits_give_exactly_one_graded_attempt(db, server):
    import_sample_curriculum()
    make_user(username="sari")
    status, headers, _ = post(server, "/login", urlencode({"identifier": "sari", "password": PASSWORD}))
    assert status == 302
    cookie = session_cookie(headers)
    status, headers, _ = post(server, "/courses/contoh/unsur/quiz", "", cookie)
    assert status == 303
    attempt_id = int(dict(headers)["Location"].rsplit("/", 1)[1])
    attempt = db.session.get(Attempt, attempt_id)
    fields = answer_fields(attempt, right=True)
    db.session.rollback()  # this thread must not hold the SQLite write lock while the server works
    body = urlencode([(name, value) for name, values in fields.items() for value in values]
                     + [("action", "submit")])
    start_together = threading.Barrier(SUBMITS)

    def submit(_):
        start_together.wait()
        return post(server, f"/quiz/attempts/{attempt_id}", body, cookie, "application/json")

    with ThreadPoolExecutor(SUBMITS) as pool:
        replies = list(pool.map(submit, range(SUBMITS)))

    assert [status for status, _, _ in replies] == [200] * SUBMITS
    outcomes = [json.loads(payload) for _, _, payload in replies]
    assert sum(outcome["graded_now"] for outcome in outcomes) == 1
    assert all(outcome["submitted"] for outcome in outcomes)
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "submitted" and attempt.percent == 100.0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attempt)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttemptAnswer)) == 3
    progress = db.session.scalars(sa.select(ModuleProgress)).all()
    assert len(progress) == 1 and progress[0].completed_at is not None
    db.session.rollback()
