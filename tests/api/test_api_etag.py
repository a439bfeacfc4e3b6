"""ETags and If-Match: a stale write gets 412 and changes nothing; writes record the user in history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from milestones.models import Milestone
from programs.models import Asset
from tests.factories import AssetFactory, MilestoneFactory


@pytest.mark.django_db
def test_it_sends_an_etag_that_moves_with_the_version(client_for: Callable[[str | None], APIClient]) -> None:
    asset = AssetFactory()
    client = client_for("editor")
    first = client.get(f"/api/v1/assets/{asset.pk}/")
    assert first["ETag"] == f'W/"asset-{asset.pk}-1"'
    changed = client.patch(
        f"/api/v1/assets/{asset.pk}/", {"description": "new"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == f'W/"asset-{asset.pk}-2"'
    assert changed.json()["version"] == 2


@pytest.mark.django_db
def test_it_refuses_a_stale_if_match_and_changes_nothing(client_for: Callable[[str | None], APIClient]) -> None:
    asset = AssetFactory(description="original")
    client = client_for("editor")
    etag = client.get(f"/api/v1/assets/{asset.pk}/")["ETag"]
    assert client.patch(f"/api/v1/assets/{asset.pk}/", {"description": "first"}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(f"/api/v1/assets/{asset.pk}/", {"description": "second"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "precondition_failed"
    asset.refresh_from_db()
    assert (asset.description, asset.version) == ("first", 2)
    gone = client.delete(f"/api/v1/assets/{asset.pk}/", HTTP_IF_MATCH=etag)
    assert gone.status_code == 412
    assert Asset.objects.filter(pk=asset.pk).exists()


@pytest.mark.django_db
def test_it_records_the_token_user_in_history(
    client_for: Callable[[str | None], APIClient], role_tokens: dict[str, str]
) -> None:
    milestone = MilestoneFactory()
    client = client_for("editor")
    response = client.patch(f"/api/v1/milestones/{milestone.pk}/", {"notes": "checked"}, format="json")
    assert response.status_code == 200, response.json()
    latest = Milestone.history.filter(id=milestone.pk).order_by("-history_id").first()
    assert latest is not None and latest.history_user is not None
    assert latest.history_user.username == "api-editor"
    created = client.post(
        "/api/v1/assets/", {"code": "HX-1", "originator": milestone.asset.originator.name}, format="json"
    )
    assert created.status_code == 201, created.json()
    record = Asset.history.filter(id=created.json()["id"]).order_by("history_id").first()
    assert record is not None and record.history_user.username == "api-editor"
    assert created["ETag"] == f'W/"asset-{created.json()["id"]}-1"'
