"""Fixtures for the analyst page tests: a logged-in viewer and generated data at two sizes."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from programs.generation import generate
from programs.roles import VIEWER, ensure_roles


@pytest.fixture
def viewer_client(db: None) -> Client:
    """A client logged in as a viewer (reading may require login once another issue adds it)."""
    groups = ensure_roles()
    user = get_user_model().objects.create_user("page-viewer", password="viewer-pass-123")
    user.groups.add(groups[VIEWER])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(params=[6, 60], ids=["small", "large"])
def generated(request: pytest.FixtureRequest, db: None) -> int:
    """Generated data at two sizes; the query-count tests assert the same bound for both."""
    generate(request.param, seed=7)
    return int(request.param)


