"""Exported rows are exactly the filtered list: same rows, same order, all pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from programs.filters import AssetFilterSet, DealFilterSet
from programs.models import Asset, Deal
from programs.vocab import DealKind, DealRole
from tests.exports.helpers import csv_rows
from tests.factories import DealFactory, DealPartyFactory, DealTermsFactory

DEAL_QUERIES = [
    {},
    {"party": "Bristol Myers Squibb"},
    {"party": "BMS", "role": "collaborator"},
    {"status": "terminated", "ordering": "title"},
    {"kind": ["research", "licence"], "ordering": "-announced"},
    {"target": "HER3"},
    {"pair": "EGFR-ERBB3"},
    {"asset": "iza-bren"},
    {"value_min": "1000"},
    {"year_min": "2023", "year_max": "2024"},
    {"q": "CytomX", "ordering": "-title"},
    {"ordering": "-value"},  # the value annotation beside the export's join of the standing terms
    {"value_max": "2000", "ordering": "value"},
]


def _qd(query: dict) -> QueryDict:
    return QueryDict(urlencode(query, doseq=True))


ASSET_QUERIES = [{}, {"target": "EGFR"}, {"pair": "EGFR-ERBB3"}, {"q": "iza-bren"}, {"antibody_format": "bispecific"}]


@pytest.mark.parametrize("query", DEAL_QUERIES, ids=lambda q: urlencode(q, doseq=True) or "all")
def test_it_exports_the_filtered_deals_in_list_order(demo_data: None, bd_client: Client, query: dict) -> None:
    expected = [d.title for d in DealFilterSet(_qd(query), queryset=Deal.objects.all()).qs]
    response = bd_client.get(reverse("programs:deal_export"), {**query, "format": "csv"})
    assert response.status_code == 200
    assert [r["title"] for r in csv_rows(response)] == expected
    page = bd_client.get(reverse("programs:deal_list"), query)
    assert [d.title for d in page.context["table"].page.object_list.data] == expected


@pytest.mark.parametrize("query", ASSET_QUERIES, ids=lambda q: urlencode(q, doseq=True) or "all")
def test_it_exports_the_filtered_assets_in_list_order(demo_data: None, bd_client: Client, query: dict) -> None:
    expected = list(AssetFilterSet(_qd(query), queryset=Asset.objects.all()).qs.values_list("code", flat=True))
    assert expected or query == {"q": "iza-bren"}
    response = bd_client.get(reverse("programs:asset_export"), {**query, "format": "csv"})
    assert [r["code"] for r in csv_rows(response)] == expected


def test_it_exports_all_pages_not_just_the_visible_one(bd_client: Client) -> None:
    DealFactory.create_batch(130)
    listed = bd_client.get(reverse("programs:deal_list"), {"ordering": "title"})
    assert len(listed.context["table"].page.object_list) == 50
    rows = csv_rows(bd_client.get(reverse("programs:deal_export"), {"format": "csv", "ordering": "title", "page": 2}))
    assert len(rows) == 130
    assert [r["title"] for r in rows] == sorted(r["title"] for r in rows)


def test_it_writes_the_import_columns_first_in_the_import_format(bd_client: Client) -> None:
    deal = DealFactory(
        title="Big deal", kind=DealKind.LICENCE, announced_on=dt.date(2026, 4, 1), announced_precision="quarter"
    )
    DealPartyFactory(deal=deal, company__name="Alpha Bio", role=DealRole.LICENSOR)
    DealPartyFactory(deal=deal, company__name="Beta Pharma", role=DealRole.LICENSEE)
    DealPartyFactory(deal=deal, company__name="Gamma CDMO", role=DealRole.SERVICE_PROVIDER)
    DealTermsFactory(deal=deal, currency="EUR", upfront=Decimal("12.500"), total_value=Decimal("100"),
                     usd_per_unit=Decimal("1.1"))
    (row,) = csv_rows(bd_client.get(reverse("programs:deal_export"), {"format": "csv"}))
    from programs.io.columns import DEAL_COLUMNS

    assert list(row)[: len(DEAL_COLUMNS)] == list(DEAL_COLUMNS)
    assert row["announced"] == "2026-Q2"
    parties = (row["licensor"], row["licensee"], row["other_parties"])
    assert parties == ("Alpha Bio", "Beta Pharma", "Gamma CDMO:service_provider")
    assert (row["upfront"], row["total_value"], row["currency"]) == ("12.5", "100", "EUR")
    assert (row["upfront_usd"], row["total_value_usd"]) == ("13.75", "110")
    assert "Alpha Bio (Licensor)" in row["parties"]


SORTED_ASSET_QUERIES = [
    {"sort": "-highest_phase"}, {"sort": "targets"}, {"sort": "-payload_class", "target": "EGFR"},
    {"sort": "originator"}, {"sort": "-latest_event"}, {"sort": "no-such-column"},
]


@pytest.mark.parametrize("query", SORTED_ASSET_QUERIES, ids=lambda q: urlencode(q, doseq=True))
def test_it_exports_the_assets_in_the_pages_sort(demo_data: None, bd_client: Client, query: dict) -> None:
    import re

    html = bd_client.get(reverse("programs:asset_list"), query).content.decode()
    table = html[html.index("<tbody"):html.index("</tbody>")]
    on_page = re.findall(r'<tr>\s*<td><a href="/assets/[^"]+/">([^<]+)</a>', table)
    assert len(on_page) == Asset.objects.filter(
        pk__in=AssetFilterSet(_qd(query), queryset=Asset.objects.all()).qs.values("pk")).count() > 1
    response = bd_client.get(reverse("programs:asset_export"), {**query, "format": "csv"})
    assert [r["code"] for r in csv_rows(response)] == on_page
