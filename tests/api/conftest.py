"""API fixtures: one user per role with a knox token, and clients that authenticate with it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from programs.roles import ROLES, ensure_roles


@pytest.fixture(autouse=True)
def _fresh_throttle_cache() -> None:
    """Throttle counters live in the cache; start each test from zero."""
    cache.clear()


@pytest.fixture
def role_tokens(db: None) -> dict[str, str]:
    """role name -> clear token of a user holding only that role."""
    groups = ensure_roles()
    user_model = get_user_model()
    tokens = {}
    for role in ROLES:
        user, _ = user_model.objects.get_or_create(username=f"api-{role}")
        user.groups.set([groups[role]])
        _, token = AuthToken.objects.create(user=user, expiry=None)
        tokens[role] = token
    return tokens


@pytest.fixture
def client_for(role_tokens: dict[str, str]) -> Callable[[str | None], APIClient]:
    """An APIClient sending the role's token (None: anonymous)."""

    def make(role: str | None) -> APIClient:
        client = APIClient()
        if role is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {role_tokens[role]}")
        return client

    return make
