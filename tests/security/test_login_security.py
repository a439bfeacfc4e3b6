"""Login: the session key rotates, repeated failures lock out (per username and client address, the
client read through a trusted proxy only), passwords need 12 characters."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

PASSWORD = "correct-horse-battery"  # noqa: S105


@pytest.fixture
def user(db: None):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def test_it_rotates_the_session_key_at_login(user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert client.session["before_login"] is True  # same session data, new key


def test_it_locks_an_account_out_after_repeated_failures(user, caplog) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    caplog.set_level(logging.INFO, logger="adctrack.security")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "alice", "password": "wrong-password-x"})
        assert response.status_code == 200  # the form again, with its error
    last = client.post("/accounts/login/", {"username": "alice", "password": "wrong-password-x"})
    assert last.status_code == 429  # the limit-th failure locks the account
    locked = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    events = [r.event for r in caplog.records if r.name == "adctrack.security"]
    assert events.count("login_failed") >= settings.AXES_FAILURE_LIMIT
    assert "locked_out" in events


def test_it_logs_in_below_the_failure_limit(user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong-password-x"})
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("password", ["Short-pw-1", "eleven-char"])
def test_it_refuses_passwords_under_twelve_characters(password: str) -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(password)


def test_it_accepts_a_twelve_character_password() -> None:
    validate_password("plum-orbit-47")


PROXY = "10.0.0.2"  # the TLS proxy of docs/deploy.md, listed in TRUSTED_PROXIES below


@pytest.fixture
def behind_proxy(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]


def _via_proxy(client_address: str) -> Client:
    """A browser at ``client_address`` reaching the site through the trusted proxy."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


def _fail_until_locked(client: Client, username: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": username, "password": "wrong-password-x"})
    assert client.post("/accounts/login/", {"username": username, "password": "wrong-password-x"}).status_code == 429


def test_one_attackers_failures_lock_out_no_one_else_behind_the_same_proxy(user, behind_proxy) -> None:  # type: ignore[no-untyped-def]
    get_user_model().objects.create_user("bob", password=PASSWORD)
    attacker = _via_proxy("203.0.113.5")
    _fail_until_locked(attacker, "alice")
    # alice herself, from her own address behind the same proxy, still signs in
    alice = _via_proxy("198.51.100.7")
    assert alice.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    # and so does another user from the attacker's very address
    assert attacker.post("/accounts/login/", {"username": "bob", "password": PASSWORD}).status_code == 302


def test_a_client_not_behind_a_trusted_proxy_cannot_pick_its_address(user, behind_proxy) -> None:  # type: ignore[no-untyped-def]
    for i in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").post(
            "/accounts/login/", {"username": "alice", "password": "wrong-password-x"})
    spoofing = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert spoofing.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 429
    # a forwarded address left of the proxy's own entry is ignored too: the proxy appends what it saw
    forged = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.201, 203.0.113.9")
    assert forged.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 429


def test_the_lockout_does_not_say_whether_the_user_exists(user) -> None:  # type: ignore[no-untyped-def]
    answers = []
    for username in ("alice", "nobody-by-this-name"):
        client = Client(REMOTE_ADDR="203.0.113.20")
        _fail_until_locked(client, username)
        answers.append(client.post("/accounts/login/", {"username": username, "password": PASSWORD}))
    assert [a.status_code for a in answers] == [429, 429]
    assert answers[0].content == answers[1].content
    assert username.encode() not in answers[1].content and b"account" not in answers[0].content.lower()
    assert all(int(a["Retry-After"]) == settings.AXES_COOLOFF_TIME * 3600 for a in answers)
