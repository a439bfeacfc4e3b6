"""API tokens: created (shown once), listed and revoked by their owner, in the UI and over the API."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from programs.roles import VIEWER, ensure_roles


@pytest.fixture
def viewer_browser(db: None) -> tuple[Client, object]:
    user = get_user_model().objects.create_user("tok-viewer", password="x" * 16)
    user.groups.set([ensure_roles()[VIEWER]])
    client = Client()
    client.force_login(user)
    return client, user


@pytest.mark.django_db
def test_it_shows_a_new_token_once_and_it_works(viewer_browser: tuple[Client, object]) -> None:
    client, user = viewer_browser
    page = client.post("/account/tokens/create/", {"expiry_days": "30"})
    assert page.status_code == 200
    token = re.search(r'<code id="new-token">([^<]+)</code>', page.content.decode()).group(1)  # type: ignore[union-attr]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/assets/").status_code == 200
    listing = client.get("/account/tokens/").content.decode()
    assert token not in listing and token[:15] in listing
    stored = AuthToken.objects.get(user=user)
    assert stored.expiry is not None and token not in stored.digest  # hashed


@pytest.mark.django_db
def test_it_revokes_a_token(viewer_browser: tuple[Client, object]) -> None:
    client, user = viewer_browser
    instance, token = AuthToken.objects.create(user=user, expiry=None)
    response = client.post(f"/account/tokens/{instance.token_key}/revoke/")
    assert response.status_code == 302
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/assets/").status_code == 401


@pytest.mark.django_db
def test_it_refuses_to_revoke_someone_elses_token(viewer_browser: tuple[Client, object]) -> None:
    client, _ = viewer_browser
    other = get_user_model().objects.create_user("other")
    instance, _ = AuthToken.objects.create(user=other, expiry=None)
    client.post(f"/account/tokens/{instance.token_key}/revoke/")
    assert AuthToken.objects.filter(user=other).count() == 1


@pytest.mark.django_db
def test_it_manages_tokens_over_the_api(client_for: Callable[[str | None], APIClient]) -> None:
    client = client_for("viewer")
    created = client.post("/api/v1/tokens/", {"expiry_days": 7}, format="json")
    assert created.status_code == 201 and len(created.json()["token"]) > 20
    keys = [t["token_key"] for t in client.get("/api/v1/tokens/").json()]
    assert created.json()["token_key"] in keys
    assert client.delete(f"/api/v1/tokens/{created.json()['token_key']}/").status_code == 204
    assert client.post("/api/v1/tokens/", {"expiry_days": 0}, format="json").status_code == 400


def test_it_needs_login_for_the_token_page(client: Client) -> None:
    assert client.get("/account/tokens/").status_code == 302
