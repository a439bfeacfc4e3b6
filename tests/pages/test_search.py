"""The search box: designations, INN, aliases, targets and companies, tolerant of case, hyphens and typos.

Runs on whichever backend DATABASE_URL selects (trigram on PostgreSQL, edit-distance fallback on SQLite).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from programs.filters import AssetFilterSet
from programs.models import Asset

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    fs = AssetFilterSet({"q": text}, queryset=Asset.objects.all())
    return set(fs.qs.values_list("code", flat=True))


@pytest.mark.parametrize("text", ["blb01d1", "BL B01D1", "bl-b01d1", "izalontamab", "iza-bren", "IZA BREN"])
def test_it_finds_bl_b01d1_by_any_name(demo_data: None, text: str) -> None:
    assert "BL-B01D1" in found(text)


@pytest.mark.parametrize("text", ["izalontamb", "neok02", "bl-b01d2"])
def test_it_tolerates_a_small_typo(demo_data: None, text: str) -> None:
    assert found(text) & {"BL-B01D1", "NEOK002"}


def test_it_finds_assets_by_target_alias(demo_data: None) -> None:
    result = found("HER3")
    assert {"BL-B01D1", "JS212"} <= result
    assert "NEOK002" not in result and "T-DXd" not in result


def test_it_finds_assets_by_company(demo_data: None) -> None:
    assert "NEOK002" in found("biocytogen")


def test_it_finds_nothing_for_gibberish(demo_data: None) -> None:
    assert found("qqqqzzzzxxxx") == set()


def test_it_searches_from_the_page(viewer_client: Client, demo_data: None) -> None:
    html = viewer_client.get(reverse("programs:asset_list"), {"q": "iza-bren"}).content.decode()
    assert "BL-B01D1" in html and "matching" in html
