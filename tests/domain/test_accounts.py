"""Accounts and server-side sessions, without HTTP."""
from datetime import timedelta

import pytest

from learning import accounts
from learning.models import LoginSession

from ..factories import PASSWORD, make_office, make_user


def test_authenticate_by_username_or_nip(db):
    user = make_user(username="sari", nip="198001012005011001")
    assert accounts.authenticate("sari", PASSWORD) == user
    assert accounts.authenticate("SARI", PASSWORD) == user
    assert accounts.authenticate("198001012005011001", PASSWORD) == user
    assert accounts.authenticate("sari", "salah-sekali-123") is None
    assert accounts.authenticate("tidak-ada", PASSWORD) is None


def test_inactive_user_cannot_sign_in(db):
    user = make_user(username="budi", active=False)
    assert accounts.authenticate("budi", PASSWORD) is None
    token = accounts.start_session(user, timedelta(hours=1))
    assert accounts.user_for_session(token) is None


def test_sessions_end_on_password_change(db):
    user = make_user()
    t1 = accounts.start_session(user, timedelta(hours=1))
    t2 = accounts.start_session(user, timedelta(hours=1))
    assert accounts.user_for_session(t1) == user
    accounts.change_password(user, "kata-sandi-baru-456")
    assert accounts.user_for_session(t1) is None and accounts.user_for_session(t2) is None
    assert accounts.authenticate(user.username, "kata-sandi-baru-456") == user


def test_expired_session_is_refused(db):
    user = make_user()
    token = accounts.start_session(user, timedelta(seconds=-1))
    assert accounts.user_for_session(token) is None


def test_only_the_token_digest_is_stored(db):
    user = make_user()
    token = accounts.start_session(user, timedelta(hours=1))
    row = db.session.get(LoginSession, accounts.token_digest(token))
    assert row is not None and token not in row.id


def test_create_user_rules(db):
    make_office()
    make_user(username="ani", nip="1")
    for data, code in [
        (accounts.NewUser(username="ani", full_name="X"), "username_taken"),
        (accounts.NewUser(username="b", full_name="X", nip="1"), "nip_taken"),
        (accounts.NewUser(username="c", full_name="X", role="boss"), "bad_role"),
        (accounts.NewUser(username="d", full_name="X", office_code="NOPE"), "unknown_office"),
    ]:
        with pytest.raises(accounts.AccountError, match=code):
            accounts.create_user(data, PASSWORD)
    with pytest.raises(accounts.AccountError, match="too_short"):
        accounts.create_user(accounts.NewUser(username="e", full_name="X"), "pendek")


def test_first_admin_gets_a_random_password_once(db):
    first = accounts.ensure_first_admin()
    db.session.commit()
    username, password = first.split(":", 1)
    admin = accounts.authenticate(username, password)
    assert admin is not None and admin.is_admin and admin.must_change_password
    assert accounts.ensure_first_admin() is None
    assert len(password) >= 16 and password != accounts.generate_password()
