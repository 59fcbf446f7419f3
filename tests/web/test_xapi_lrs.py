"""xAPI against a real LRS (Ralph on loopback): an officer's journey (read, quiz failed, quiz
passed, course completed, certificate) arrives in the LRS, each statement once; with the LRS
stopped during the journey and started later, the same statements arrive once."""
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from learning.models import Certificate, XapiStatement, utcnow
from learning.xapi.outbox import LrsClient, outbox_state, send_pending

from ..factories import import_sample_curriculum, login, make_office, make_user
from ..lrs import PASSWORD, USERNAME, Ralph
from ..quiz_answers import answer_fields, as_form

NIP = "198701012010121001"
SITE = "https://pimpasa.example.go.id"


@pytest.fixture
def lrs(tmp_path):
    server = Ralph(tmp_path / "lrs")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def connected(app, lrs):
    saved = {k: app.config.get(k) for k in ("XAPI_ENDPOINT", "XAPI_USERNAME", "XAPI_PASSWORD",
                                            "SITE_URL")}
    app.config.update(XAPI_ENDPOINT=lrs.endpoint, XAPI_USERNAME=USERNAME,
                      XAPI_PASSWORD=PASSWORD, SITE_URL=SITE)
    yield LrsClient.from_config(app.config)
    app.config.update(saved)


@pytest.fixture
def officer(db):
    import_sample_curriculum()
    return make_user(username="sari", full_name="Sari Wulandari", nip=NIP, office=make_office(),
                     email="sari@example.test")


def read_first_module(client):
    assert client.get("/courses/contoh/pengantar").status_code == 200
    assert client.post("/courses/contoh/pengantar/done").status_code == 302


def take_quiz(client, db, right: bool):
    from learning.models import Attempt
    response = client.post("/courses/contoh/unsur/quiz")
    assert response.status_code == 303, response.text
    db.session.expire_all()
    attempt = db.session.get(Attempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    result = client.post(f"/quiz/attempts/{attempt.id}",
                         data=as_form(answer_fields(attempt, right), action="submit"))
    assert result.status_code in (302, 303), result.text


def finish(client, db):
    take_quiz(client, db, right=False)
    take_quiz(client, db, right=True)
    assert client.post("/courses/contoh/penutup/done").status_code == 302
    assert db.session.scalar(sa.select(Certificate)) is not None


EXPECTED = Counter({
    ("experienced", "/courses/contoh/pengantar"): 1,
    ("completed", "/courses/contoh/pengantar"): 1,
    ("attempted", "/courses/contoh/unsur/quiz"): 2,
    ("failed", "/courses/contoh/unsur/quiz"): 1,
    ("passed", "/courses/contoh/unsur/quiz"): 1,
    ("experienced", "/courses/contoh/unsur"): 1,
    ("completed", "/courses/contoh/unsur"): 1,
    ("experienced", "/courses/contoh/penutup"): 1,
    ("completed", "/courses/contoh/penutup"): 1,
    ("completed", "/courses/contoh/"): 1,
    ("earned", "/verify/"): 1,
})


def summary(statements) -> Counter:
    counted = Counter()
    for s in statements:
        path = s["object"]["id"][len(SITE):]
        counted[(s["verb"]["display"]["en-US"],
                 "/verify/" if path.startswith("/verify/") else path)] += 1
    return counted


def lrs_statements(client: LrsClient) -> list[dict]:
    return client.get_statements(limit=1000)["statements"]


def test_the_journey_arrives_in_the_lrs_once_each(client, db, officer, connected, lrs):
    login(client, "sari")
    read_first_module(client)
    finish(client, db)
    outbox = list(db.session.scalars(sa.select(XapiStatement)))
    assert summary(o.statement for o in outbox) == EXPECTED
    report = send_pending(connected)
    assert (report.sent, report.rejected, report.deferred, report.errors) == (12, 0, 0, [])
    stored = lrs_statements(connected)
    assert summary(stored) == EXPECTED
    assert sorted(s["id"] for s in stored) == sorted(o.statement_id for o in outbox)
    assert Counter(line["id"] for line in lrs.stored_lines()).most_common(1)[0][1] == 1
    # what was sent: the account, never the e-mail, NIP or name; UTC; context and results
    text = str(stored)
    assert NIP not in text and "sari@example.test" not in text and "Wulandari" not in text
    for s in stored:
        assert s["actor"]["account"] == {"homePage": SITE + "/", "name": str(officer.id)}
        assert s["timestamp"].endswith("Z")
    passed = next(s for s in stored if s["verb"]["id"].endswith("/passed"))
    failed = next(s for s in stored if s["verb"]["id"].endswith("/failed"))
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    assert failed["result"]["success"] is False and failed["result"]["score"]["scaled"] < 0.7
    assert passed["result"]["duration"].startswith("PT")
    assert passed["context"]["contextActivities"]["grouping"][0]["id"] == SITE + "/courses/contoh/"
    assert passed["context"]["contextActivities"]["parent"][0]["id"] == \
        SITE + "/courses/contoh/unsur"
    assert any(k.endswith("/quiz-revision") for k in passed["context"]["extensions"])
    read = next(s for s in stored if s["verb"]["id"].endswith("/experienced"))
    assert any(k.endswith("/module-revision") for k in read["context"]["extensions"])
    # sending again sends nothing; a statement whose acknowledgement was lost goes again and the
    # LRS still holds it once
    assert send_pending(connected).sent == 0
    db.session.execute(sa.update(XapiStatement).where(XapiStatement.verb == "earned")
                       .values(status="pending", sent_at=None))
    db.session.commit()
    assert send_pending(connected).sent == 1
    assert len(lrs_statements(connected)) == 12
    assert Counter(line["id"] for line in lrs.stored_lines()).most_common(1)[0][1] == 1


def test_the_lrs_stopped_mid_journey_loses_nothing_and_gets_each_statement_once(
        client, db, officer, connected, lrs):
    login(client, "sari")
    read_first_module(client)
    assert send_pending(connected).sent == 2
    lrs.kill()
    finish(client, db)
    now = utcnow()
    down = send_pending(connected, now=now)
    assert down.sent == 0 and down.deferred == 10 and down.errors
    assert outbox_state().pending == 10
    waiting = list(db.session.scalars(sa.select(XapiStatement)
                                      .where(XapiStatement.status == "pending")))
    assert all(w.attempts == 1 and w.next_attempt_at > now for w in waiting)
    lrs.start()
    assert send_pending(connected, now=now).sent == 0  # not due yet: backoff
    later = send_pending(connected, now=now + timedelta(minutes=5))
    assert (later.sent, later.rejected, later.deferred) == (10, 0, 0), later.errors
    assert outbox_state().pending == 0
    stored = lrs_statements(connected)
    assert summary(stored) == EXPECTED
    assert Counter(line["id"] for line in lrs.stored_lines()).most_common(1)[0][1] == 1
    assert len(lrs.stored_lines()) == 12


def test_a_statement_the_lrs_refuses_is_kept_as_rejected_and_the_rest_go(
        app, client, db, officer, connected, lrs, runner):
    login(client, "sari")
    read_first_module(client)
    take_quiz(client, db, right=False)
    rows = list(db.session.scalars(sa.select(XapiStatement).order_by(XapiStatement.id)))
    assert len(rows) == 4
    broken = dict(rows[1].statement)
    del broken["actor"]  # a statement without an actor: the LRS must refuse it
    rows[1].statement = broken
    db.session.commit()
    result = runner.invoke(args=["xapi", "send"])
    assert result.exit_code == 1, result.output
    assert "xAPI statements sent: 3; rejected: 1; waiting for a retry: 0" in result.output
    stored_ids = {s["id"] for s in lrs_statements(connected)}
    assert stored_ids == {r.statement_id for r in rows} - {rows[1].statement_id}
    db.session.expire_all()
    assert db.session.get(XapiStatement, rows[1].id).status == "rejected"
    assert "HTTP 422" in db.session.get(XapiStatement, rows[1].id).last_error
    status = runner.invoke(args=["xapi", "status"])
    assert "sent: 3; rejected: 1" in status.output and "pending: 0" in status.output
    # the daily job sends too
    take_quiz(client, db, right=True)
    daily = runner.invoke(args=["reminders", "send"])
    assert "xAPI statements sent: 4; rejected: 0" in daily.output, daily.output
