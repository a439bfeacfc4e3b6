"""Every role on every method of every endpoint: viewers/bd read, editors/admins write, anonymous 401."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    AssetFactory,
    CompanyFactory,
    DealFactory,
    EfficacyReadoutFactory,
    MilestoneFactory,
    SafetyEventFactory,
    SourceFactory,
    TargetFactory,
)

ENDPOINTS = {
    "companies": CompanyFactory,
    "targets": TargetFactory,
    "sources": SourceFactory,
    "assets": AssetFactory,
    "milestones": MilestoneFactory,
    "safety-events": SafetyEventFactory,
    "efficacy-readouts": EfficacyReadoutFactory,
    "deals": DealFactory,
}
ROLES = [None, "viewer", "bd", "editor", "admin"]
WRITERS = {"editor", "admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_each_role_do_what_its_role_allows(
    client_for: Callable[[str | None], APIClient], endpoint: str, role: str | None
) -> None:
    obj = ENDPOINTS[endpoint]()
    client = client_for(role)
    base, detail = f"/api/v1/{endpoint}/", f"/api/v1/{endpoint}/{obj.pk}/"
    reads = [client.get(base), client.get(detail)]
    writes = [
        client.post(base, {}, format="json"),
        client.put(detail, {}, format="json"),
        client.patch(detail, {}, format="json"),
        client.delete(detail),
    ]
    if role is None:
        assert {r.status_code for r in reads + writes} == {401}
        assert reads[0].json()["error"]["code"] == "not_authenticated"
        return
    assert [r.status_code for r in reads] == [200, 200]
    if role in WRITERS:
        # Allowed: an empty body is a validation error (or a no-op patch), never a 403.
        assert all(r.status_code not in (401, 403) for r in writes), [r.status_code for r in writes]
    else:
        assert {r.status_code for r in writes} == {403}
        assert writes[0].json()["error"]["code"] == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_it_serves_derived_statistics_read_only(
    client_for: Callable[[str | None], APIClient], role: str | None
) -> None:
    asset = AssetFactory()
    client = client_for(role)
    get = client.get("/api/v1/statistics/assets/")
    post = client.post("/api/v1/statistics/assets/", {}, format="json")
    delete = client.delete(f"/api/v1/statistics/assets/{asset.pk}/")
    if role is None:
        assert (get.status_code, post.status_code) == (401, 401)
    else:
        assert get.status_code == 200
        assert post.status_code in (403, 405) and delete.status_code in (403, 405)


@pytest.mark.django_db
def test_it_lets_the_editor_delete_then_forgets(client_for: Callable[[str | None], APIClient]) -> None:
    source = SourceFactory()
    assert client_for("editor").delete(f"/api/v1/sources/{source.pk}/").status_code == 204
    assert client_for("editor").get(f"/api/v1/sources/{source.pk}/").status_code == 404
