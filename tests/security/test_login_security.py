"""Login: the session key rotates, repeated failures lock out, passwords need 12 characters."""

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
