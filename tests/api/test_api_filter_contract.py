"""The API and the HTML list return the same assets for the same query string (one FilterSet)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from programs.models import Asset
from programs.roles import VIEWER, ensure_roles

QUERIES = ["pair=EGFR-ERBB3", "q=iza-bren", "q=BL-B01D1", "target=HER3", "target=CLDN18.2",
           "highest_phase=phase3", "antibody_format=bispecific", "q=nothing-matches-this"]


@pytest.fixture
def html_client(demo_data: None) -> Client:
    user = get_user_model().objects.create_user("html-viewer", password="x" * 16)
    user.groups.set([ensure_roles()[VIEWER]])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_it_returns_the_same_assets_as_the_html_list(
    html_client: Client, client_for: Callable[[str | None], APIClient], query: str
) -> None:
    html = html_client.get(f"/assets/?{query}")
    assert html.status_code == 200
    slugs = set(re.findall(r'href="/assets/([^/"]+)/"', html.content.decode()))
    html_codes = set(Asset.objects.filter(slug__in=slugs).values_list("code", flat=True))
    api = client_for("viewer").get(f"/api/v1/assets/?{query}&page_size=500")
    assert api.status_code == 200
    api_codes = {a["code"] for a in api.json()["results"]}
    assert api_codes == html_codes
    if query.startswith("pair=") or "iza" in query:
        assert "BL-B01D1" in api_codes


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["milestones", "safety-events", "deals"])
def test_it_filters_records_by_any_designation(
    demo_data: None, client_for: Callable[[str | None], APIClient], endpoint: str
) -> None:
    by_code = client_for("viewer").get(f"/api/v1/{endpoint}/?asset=BL-B01D1&page_size=500").json()["results"]
    by_alias = client_for("viewer").get(f"/api/v1/{endpoint}/?asset=iza bren&page_size=500").json()["results"]
    assert by_code and [r["id"] for r in by_code] == [r["id"] for r in by_alias]
    for record in by_code:
        assets = record["assets"] if endpoint == "deals" else [record["asset"]]
        assert "BL-B01D1" in assets
