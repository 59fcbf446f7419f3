"""Sign-in throttling in the database store: one count per account however it is named, per
address, on the current-password check too, and shared by every app (worker) on the database."""
import re

from learning import create_app
from learning.extensions import db as _db
from learning.models import LoginThrottle

from ..factories import PASSWORD, login, make_user

NIP = "199001012015012001"


def _change(client, current):
    return client.post("/account/password", data={"current": current, "new": "sandi-baru-yang-kuat",
                                                 "confirm": "sandi-baru-yang-kuat"})


def test_username_and_nip_share_one_count(client):
    make_user(username="sari", nip=NIP)
    for identifier in ("sari", NIP, "SARI", NIP, "sari"):
        assert login(client, identifier, "tebak-tebakan-1").status_code == 401
    blocked = login(client, NIP, PASSWORD)  # the right password, by NIP: still refused
    assert blocked.status_code == 429
    assert re.search(r"Coba lagi pukul \d\d:\d\d \(1[45] menit lagi\)", blocked.text)
    assert 840 <= int(blocked.headers["Retry-After"]) <= 900
    assert login(client, "sari", PASSWORD).status_code == 429


def test_unknown_names_are_counted_too(client):
    for _ in range(5):
        assert login(client, "tidak-ada", "tebak-tebakan-1").status_code == 401
    assert login(client, "tidak-ada", "tebak-tebakan-1").status_code == 429


def test_one_address_is_limited_across_accounts(app, client):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "7 per 15 minutes"
    try:
        for n in range(7):
            assert login(client, f"orang{n}", "tebak-tebakan-1").status_code == 401
        assert login(client, "orang-lain", "tebak-tebakan-1").status_code == 429
        other_address = app.test_client()
        response = other_address.post("/login", data={"identifier": "orang-lain",
                                                      "password": "tebak-tebakan-1"},
                                      environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert response.status_code == 401
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "20 per 15 minutes"


def test_current_password_check_is_throttled_with_the_sign_in(app, client):
    make_user(username="sari")
    assert login(client, "sari").status_code == 302
    for _ in range(5):
        response = _change(client, "bukan-sandi-saya")
        assert response.status_code == 400 and "Kata sandi saat ini salah." in response.text
    blocked = _change(client, PASSWORD)
    assert blocked.status_code == 429 and "Coba lagi pukul" in blocked.text
    assert "Retry-After" in blocked.headers
    # the same account, signing in elsewhere, is locked as well
    assert login(app.test_client(), "sari").status_code == 429


def test_successful_checks_give_their_count_back(client):
    make_user(username="sari")
    for _ in range(4):
        assert login(client, "sari", "tebak-tebakan-1").status_code == 401
    for _ in range(3):
        assert login(client, "sari").status_code == 302
        client.post("/logout")
    assert login(client, "sari", "tebak-tebakan-1").status_code == 401  # the 5th failure
    assert login(client, "sari").status_code == 429


def test_two_apps_on_one_database_share_the_count(app, database_url, client):
    """Two gunicorn workers are two processes with their own engine: here, two apps."""
    sari = make_user(username="sari")
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
    second = other.test_client()
    try:
        for n in range(5):
            target = client if n % 2 else second
            assert login(target, "sari", "tebak-tebakan-1").status_code == 401
        assert login(client, "sari").status_code == 429
        assert login(second, "sari").status_code == 429
    finally:
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()
    row = _db.session.get(LoginThrottle, f"account:{sari.id}")
    assert row.hits == 5  # five failures from either app; refusals give their count back
