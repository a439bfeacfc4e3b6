"""Security events reach the `adctrack.security` logger: denials, failed logins, API token churn."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken

pytestmark = pytest.mark.django_db


def _events(caplog) -> list[str]:  # type: ignore[no-untyped-def]
    return [getattr(r, "event", "") for r in caplog.records if r.name == "adctrack.security"]


def test_it_logs_a_permission_denial(caplog) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("bob")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    caplog.set_level(logging.INFO, logger="adctrack.security")
    response = client.get("/admin/")  # not staff: admin redirects; force a 403 with a CSRF failure instead
    csrf_client = Client(enforce_csrf_checks=True)
    denied = csrf_client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302 and denied.status_code == 403
    record = next(r for r in caplog.records if getattr(r, "event", "") == "permission_denied")
    assert record.path == "/accounts/login/" and record.status == 403


def test_it_logs_a_failed_login_without_the_password(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="adctrack.security")
    Client().post("/accounts/login/", {"username": "mallory", "password": "s3cret-guess-123"})
    record = next(r for r in caplog.records if getattr(r, "event", "") == "login_failed")
    assert record.username == "mallory"
    assert "s3cret-guess-123" not in caplog.text


def test_it_logs_token_creation_and_revocation(caplog) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("carol")
    caplog.set_level(logging.INFO, logger="adctrack.security")
    instance, key = AuthToken.objects.create(user=user)
    instance.delete()
    assert _events(caplog) == ["token_created", "token_revoked"]
    assert key not in caplog.text
