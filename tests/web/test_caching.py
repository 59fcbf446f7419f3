"""Validators: an unchanged page is answered 304; any visible change gives a new ETag."""
import pytest
from flask import g, session

from learning.web.caching import page_etag

from ..factories import import_sample_curriculum, login, make_user

MODULE = "/courses/contoh/pengantar"


@pytest.fixture
def officer_client(client, db):
    import_sample_curriculum()
    make_user(username="sari")
    login(client, "sari")
    return client


@pytest.mark.parametrize("url", ["/", "/courses/contoh/", MODULE])
def test_unchanged_officer_page_is_answered_304_without_a_body(officer_client, url):
    first = officer_client.get(url, headers={"Accept-Encoding": "br"})
    tag = first.headers["ETag"]
    assert first.status_code == 200 and tag.startswith('W/"')
    again = officer_client.get(url, headers={"If-None-Match": tag, "Accept-Encoding": "br"})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == tag


def test_a_visible_change_gives_a_new_tag(officer_client):
    tag = officer_client.get(MODULE).headers["ETag"]
    officer_client.post(f"{MODULE}/done")
    changed = officer_client.get(MODULE, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Modul ini sudah selesai." in changed.text
    assert changed.headers["ETag"] != tag


def test_compressed_and_plain_bodies_share_the_weak_tag(officer_client):
    plain = officer_client.get(MODULE)
    brotli = officer_client.get(MODULE, headers={"Accept-Encoding": "br"})
    assert brotli.headers["Content-Encoding"] == "br" and "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] == brotli.headers["ETag"]


def test_posts_and_private_json_get_no_tag(officer_client):
    assert "ETag" not in officer_client.post(f"{MODULE}/heartbeat", json={}).headers
    assert "ETag" not in officer_client.get("/progress/events").headers


def test_the_timestamped_csrf_token_does_not_change_the_tag_but_a_new_session_does(app):
    with app.test_request_context("/"):
        session["csrf_token"] = "raw-secret-1"
        g.csrf_token = "signed.token.at-10:00"
        first = page_etag(b"<form><input value='signed.token.at-10:00'></form>")
        g.csrf_token = "signed.token.at-10:07"
        second = page_etag(b"<form><input value='signed.token.at-10:07'></form>")
        assert first == second
        session["csrf_token"] = "raw-secret-2"
        assert page_etag(b"<form><input value='signed.token.at-10:07'></form>") != first
        assert page_etag(b"<form><input value='signed.token.at-10:07'>!</form>") != first
