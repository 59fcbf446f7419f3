"""Signing in and out over HTTP: sessions die at logout, sign-in is rate-limited, CSRF is on."""
import re

import pytest

from learning import create_app

from ..factories import PASSWORD, login, make_user


def test_login_page_renders_in_indonesian(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text and "Kata sandi" in response.text


def test_sign_in_with_username_or_nip_and_land_on_dashboard(client):
    make_user(username="sari", nip="199001012015012001", full_name="Sari Wulandari")
    response = login(client, "199001012015012001")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Sari Wulandari" in client.get("/").text


def test_wrong_password_is_401_with_a_message(client):
    make_user(username="sari")
    response = login(client, "sari", "salah-salah-salah")
    assert response.status_code == 401
    assert "Nama pengguna/NIP atau kata sandi salah." in response.text


def test_empty_form_is_400_with_field_messages(client):
    response = client.post("/login", data={"identifier": "", "password": ""})
    assert response.status_code == 400
    assert "Isi nama pengguna atau NIP." in response.text and "Isi kata sandi." in response.text


def test_cookie_saved_before_logout_is_refused_after(client, app):
    make_user(username="sari")
    login(client, "sari")
    saved = client.get_cookie("pimpasa_session").value
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("pimpasa_session", saved)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_sessions_on_other_devices_too(client, app):
    make_user(username="sari")
    phone = app.test_client()
    login(phone, "sari")
    login(client, "sari")
    client.post("/logout")
    assert phone.get("/").status_code == 302


def test_failed_sign_ins_are_rate_limited_per_account(client, app):
    make_user(username="sari")
    for _ in range(5):
        assert login(client, "sari", "tebak-tebakan-1").status_code == 401
    blocked = login(client, "sari", PASSWORD)
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.text


def test_successful_sign_ins_do_not_count_against_the_limit(client):
    make_user(username="sari")
    for _ in range(7):
        assert login(client, "sari").status_code == 302
        client.post("/logout")


def test_next_parameter_only_redirects_within_the_site(client):
    make_user(username="sari")
    response = client.post("/login", data={"identifier": "sari", "password": PASSWORD,
                                           "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login", data={"identifier": "sari", "password": PASSWORD,
                                           "next": "/courses/contoh/"})
    assert response.headers["Location"] == "/courses/contoh/"


def test_password_change_is_forced_and_ends_other_sessions(client, app):
    make_user(username="sari", must_change_password=True)
    other = app.test_client()
    login(other, "sari")
    login(client, "sari")
    assert client.get("/").headers["Location"].endswith("/account/password")
    bad = client.post("/account/password", data={"current": PASSWORD, "new": "pendek",
                                                 "confirm": "pendek"})
    assert bad.status_code == 400 and "minimal 10 karakter" in bad.text
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "sandi-baru-yang-kuat",
                                                "confirm": "sandi-baru-yang-kuat"})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert other.get("/").status_code == 302  # the other one is out


@pytest.fixture
def csrf_client(database_url):
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": True,
                      "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        yield app.test_client()


def test_forms_without_csrf_token_are_refused(app, csrf_client):
    make_user(username="sari")
    response = csrf_client.post("/login", data={"identifier": "sari", "password": PASSWORD})
    assert response.status_code == 400
    page = csrf_client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post("/login", data={"identifier": "sari", "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302
    assert csrf_client.post("/logout").status_code == 400  # no token: still signed in
    assert csrf_client.get("/").status_code == 200


def test_language_choice_is_remembered_per_user(client):
    user = make_user(username="sari")
    login(client, "sari")
    client.post("/language", data={"lang": "en", "next": "/"})
    assert user.locale == "en"
    assert '<html lang="en">' in client.get("/").text
