"""One error shape; bad input is a 400 naming the field; duplicates are 409 naming the record."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from milestones.models import Milestone
from tests.factories import AssetFactory, MilestoneFactory, SafetyEventFactory, SourceFactory


@pytest.mark.django_db
def test_it_names_the_invalid_fields(client_for: Callable[[str | None], APIClient]) -> None:
    event = SafetyEventFactory()
    response = client_for("editor").patch(
        f"/api/v1/safety-events/{event.pk}/", {"n": 9, "n_total": 3}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    assert "cannot exceed" in error["fields"]["n"][0]  # SafetyEvent.clean(), shared with the forms


@pytest.mark.django_db
def test_it_answers_a_duplicate_milestone_with_409_naming_it(client_for: Callable[[str | None], APIClient]) -> None:
    existing = MilestoneFactory()
    body = {
        "asset": existing.asset.code, "kind": existing.kind, "agency": existing.agency,
        "date": existing.date.isoformat(), "source": existing.source.url,
    }
    response = client_for("editor").post("/api/v1/milestones/", body, format="json")
    assert response.status_code == 409
    assert f"milestone {existing.pk}" in response.json()["error"]["message"]
    assert Milestone.objects.count() == 1


@pytest.mark.django_db
def test_it_creates_by_natural_keys(client_for: Callable[[str | None], APIClient]) -> None:
    asset, source = AssetFactory(code="BL-B01D1"), SourceFactory()
    response = client_for("editor").post(
        "/api/v1/milestones/",
        {"asset": "bl b01d1", "kind": "ind_cleared", "agency": "FDA", "date": "2024-05-01", "source": source.url},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["asset"] == "BL-B01D1"
    asset.refresh_from_db()
    assert asset.first_ind == {} or isinstance(asset.first_ind, dict)


@pytest.mark.django_db
def test_it_protects_referenced_records_with_409(client_for: Callable[[str | None], APIClient]) -> None:
    milestone = MilestoneFactory()
    response = client_for("editor").delete(f"/api/v1/sources/{milestone.source_id}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assets/?highest_phase=phase9",
        "/api/v1/milestones/?date_min=yesterday",
        "/api/v1/deals/?value_min=lots",
        "/api/v1/deals/?year_min=x",
    ],
)
def test_it_rejects_malformed_query_parameters_with_400(
    client_for: Callable[[str | None], APIClient], url: str
) -> None:
    response = client_for("viewer").get(url)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/v1/assets/?q=a%00b", "/api/v1/milestones/?asset=%00", "/api/v1/assets/?cursor=zz"]
)
def test_it_never_fails_with_500_on_odd_input(client_for: Callable[[str | None], APIClient], url: str) -> None:
    response = client_for("viewer").get(url)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(response.json()["error"]) >= {"status", "code", "message"}


@pytest.mark.django_db
def test_it_refuses_a_designation_of_another_asset_with_409(client_for: Callable[[str | None], APIClient]) -> None:
    other = AssetFactory(code="ABC-1")
    response = client_for("editor").post(
        "/api/v1/assets/", {"code": "abc 1", "originator": other.originator.pk}, format="json"
    )
    assert response.status_code == 409
    assert "ABC-1" in response.json()["error"]["message"]
