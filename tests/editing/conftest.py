"""Personas for the editor tests: one logged-in client per role."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from programs.roles import ROLES, ensure_roles


@pytest.fixture
def users(db: None) -> dict[str, object]:
    """viewer, bd, editor, admin: one account per role group (admin is also a superuser, as in the demo)."""
    groups = ensure_roles()
    made = {}
    for role in ROLES:
        made[role] = get_user_model().objects.create(username=role, is_staff=role == "admin",
                                                    is_superuser=role == "admin")
        made[role].groups.set([groups[role]])
    return made


@pytest.fixture
def login(users: dict[str, object]):  # type: ignore[no-untyped-def]
    def _client(role: str) -> Client:
        client = Client()
        client.force_login(users[role])  # type: ignore[arg-type]
        return client

    return _client


