"""Every list endpoint costs a bounded number of queries, whatever the page holds (two data sizes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import (
    AssetPayloadFactory,
    AssetTargetFactory,
    CompanyFactory,
    DealPartyFactory,
    DealTermsFactory,
    EfficacyReadoutFactory,
    MilestoneFactory,
    SafetyEventFactory,
    SourceFactory,
    TargetFactory,
)


def _grow(n: int) -> None:
    for _ in range(n):
        milestone = MilestoneFactory(date=None, date_precision="unknown", kind="phase_started", phase="phase1")
        asset = milestone.asset
        AssetTargetFactory(asset=asset, position=1)
        AssetTargetFactory(asset=asset, position=2)
        AssetPayloadFactory(asset=asset)
        SafetyEventFactory(asset=asset)
        EfficacyReadoutFactory(asset=asset)
        party = DealPartyFactory()
        party.deal.assets.add(asset)
        DealTermsFactory(deal=party.deal)
        CompanyFactory()
        TargetFactory()
        SourceFactory()


LISTS = ["assets", "milestones", "safety-events", "efficacy-readouts", "deals", "companies", "targets", "sources",
         "statistics/assets"]
MAX_QUERIES = 14  # token + user + permissions (3-4) + the page and its prefetches (<= 9)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", LISTS)
def test_it_lists_with_a_bounded_query_count(
    client_for: Callable[[str | None], APIClient], django_assert_max_num_queries: Any, endpoint: str
) -> None:
    client = client_for("viewer")
    for size in (2, 12):
        _grow(size - (2 if size == 12 else 0))
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(f"/api/v1/{endpoint}/?page_size=100")
        assert response.status_code == 200
        assert len(response.json()["results"]) >= size


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["assets", "deals", "milestones"])
def test_it_serves_a_detail_with_a_bounded_query_count(
    client_for: Callable[[str | None], APIClient], django_assert_max_num_queries: Any, endpoint: str
) -> None:
    _grow(3)
    client = client_for("viewer")
    first = client.get(f"/api/v1/{endpoint}/").json()["results"][0]
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/api/v1/{endpoint}/{first['id']}/").status_code == 200
