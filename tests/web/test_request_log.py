"""The app's own line per request: request id (from the proxy or made here), user id, status,
duration; never the session token."""
import logging
import re

from ..factories import login, make_user


def test_each_request_is_logged_with_its_id_user_status_and_duration(client, caplog):
    user = make_user(username="sari")
    login(client, "sari")
    token = client.get_cookie("pimpasa_session").value
    with caplog.at_level(logging.INFO, logger="pimpasa.request"):
        response = client.get("/", headers={"X-Request-Id": "dari-nginx-0123456789"})
        odd = client.get("/", headers={"X-Request-Id": "bad id; with spaces"})
    assert response.headers["X-Request-Id"] == "dari-nginx-0123456789"
    assert re.fullmatch(r"[0-9a-f]{16}", odd.headers["X-Request-Id"])
    lines = [r.getMessage() for r in caplog.records
             if r.name == "pimpasa.request" and "method=GET path=/ " in r.getMessage()]
    assert len(lines) == 2
    assert re.fullmatch(rf"request_id=dari-nginx-0123456789 method=GET path=/ status=200 "
                        rf"user={user.id} duration_ms=\d+\.\d", lines[0])
    assert odd.headers["X-Request-Id"] in lines[1] and "spaces" not in lines[1]
    assert not any(token in line for line in lines)
