"""API rate limits: per user, per token when configured, Retry-After on every 429, rates in the schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from knox.models import AuthToken
from rest_framework.test import APIClient

from programs.roles import VIEWER, ensure_roles

pytestmark = pytest.mark.django_db


def _rates(settings: Any, user: str, anon: str = "60/minute") -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": user, "anon": anon}}


def _statuses(client: APIClient, n: int) -> list[int]:
    return [client.get("/api/v1/companies/").status_code for _ in range(n)]


def _token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_it_limits_each_user_and_says_when_to_retry(settings: Any,
                                                    client_for: Callable[[str | None], APIClient]) -> None:
    _rates(settings, "3/minute")
    client = client_for("viewer")
    assert _statuses(client, 3) == [200, 200, 200]
    response = client.get("/api/v1/companies/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_token_with_its_own_rate_is_counted_alone(settings: Any) -> None:
    _rates(settings, "2/minute")
    user = get_user_model().objects.create_user("scripted")
    user.groups.set([ensure_roles()[VIEWER]])
    fast, fast_token = AuthToken.objects.create(user=user)
    _, plain_token = AuthToken.objects.create(user=user)
    settings.API_THROTTLE_TOKENS = {fast.token_key: "50/minute"}
    assert _statuses(_token_client(fast_token), 10) == [200] * 10  # past the user's 2/minute
    assert _statuses(_token_client(plain_token), 3) == [200, 200, 429]  # the user's other token: 2/minute


def test_it_says_when_to_retry_after_the_rate_was_lowered(settings: Any,
                                                          client_for: Callable[[str | None], APIClient]) -> None:
    # More requests on record than the new rate allows: DRF's own wait() is None there (no Retry-After).
    _rates(settings, "10/minute")
    client = client_for("viewer")
    assert _statuses(client, 6) == [200] * 6
    _rates(settings, "2/minute")
    response = client.get("/api/v1/companies/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_schema_states_the_rates(settings: Any, client_for: Callable[[str | None], APIClient]) -> None:
    _rates(settings, "1234/hour", anon="7/minute")
    schema = client_for("viewer").get("/api/schema/", {"format": "json"}).json()
    description = schema["info"]["description"]
    assert "1234 requests per hour" in description and "7 requests per minute" in description
    assert "API_THROTTLE_TOKENS" in description and "Retry-After" in description
