"""The deal list as a first-class list: facet counts over the other filters, chips that remove one
value, URLs without empty parameters, undated deals last, and the same filters in the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.exports.helpers import user_in
from tests.factories import AssetFactory, AssetTargetFactory, DealFactory, DealPartyFactory, DealTermsFactory


@pytest.fixture
def page_client(client: Client) -> Client:
    client.force_login(user_in("viewer"))
    return client


def _field() -> None:
    big = DealFactory(title="Big licence", kind="licence", announced_on=dt.date(2023, 12, 11),
                      announced_precision="day")
    DealTermsFactory(deal=big, upfront=Decimal("800"), total_value=Decimal("8400"))
    DealPartyFactory(deal=big, company__name="Bristol Myers Squibb", company__slug="bms", role="licensee")
    small = DealFactory(title="Small licence", kind="licence", announced_on=dt.date(2024, 1, 1))
    DealTermsFactory(deal=small, upfront=Decimal("10"), total_value=Decimal("50"))
    DealFactory(title="Undated option", kind="option", announced_on=None, announced_precision="unknown")
    ended = DealFactory(title="Ended licence", kind="licence", announced_on=dt.date(2021, 6, 1), status="terminated",
                        announced_precision="month")
    asset = AssetFactory(code="BL-B01D1")
    AssetTargetFactory(asset=asset, target__symbol="EGFR")
    big.assets.add(asset)
    ended.assets.add(asset)


def _facets(response: Any) -> dict[str, dict[str, tuple[int, bool]]]:
    return {f.name: {o.value: (o.count, o.selected) for o in f.options} for f in response.context["facets"]}


def _titles(response: Any) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


def test_each_facet_counts_over_the_other_filters(db: None, page_client: Client) -> None:
    _field()
    response = page_client.get(reverse("programs:deal_list"), {"kind": "licence"})
    facets = _facets(response)
    assert facets["kind"] == {"licence": (3, True), "option": (1, False)}  # ticking a kind keeps the others'
    assert facets["status"] == {"active": (2, False), "terminated": (1, False)}  # within the licences
    assert facets["year"] == {"2023": (1, False), "2024": (1, False), "2021": (1, False)}
    assert facets["size"] == {"lt100": (1, False), "gte5000": (1, False), "undisclosed": (1, False)}
    assert facets["party"] == {"bms": (1, False)} and facets["role"] == {"licensee": (1, False)}
    assert facets["target"] == {"EGFR": (2, False)}
    option_url = next(o.url for f in response.context["facets"] if f.name == "kind" for o in f.options
                      if o.value == "option")
    assert option_url == "?kind=licence&kind=option"
    assert len(_titles(page_client.get(reverse("programs:deal_list") + option_url))) == 4


def test_year_and_size_filter_with_undated_and_undisclosed(db: None, page_client: Client) -> None:
    _field()
    url = reverse("programs:deal_list")
    assert _titles(page_client.get(url, {"year": "none"})) == ["Undated option"]
    assert _titles(page_client.get(url, {"year": ["2023", "none"]})) == ["Big licence", "Undated option"]
    assert _titles(page_client.get(url, {"size": "gte5000"})) == ["Big licence"]
    assert _titles(page_client.get(url, {"size": ["undisclosed", "lt100"]})) == [
        "Small licence", "Ended licence", "Undated option"]
    response = page_client.get(url, {"size": "huge"})
    assert response.status_code == 200 and "huge" in response.content.decode()  # named beside the list
    assert _titles(response) == []


@pytest.mark.parametrize("ordering", ["announced", "-announced", "value", "-value", ""])
def test_undated_and_undisclosed_deals_sort_last_either_way(db: None, page_client: Client, ordering: str) -> None:
    _field()
    titles = _titles(page_client.get(reverse("programs:deal_list"), {"ordering": ordering} if ordering else {}))
    if "announced" in ordering or not ordering:
        assert titles[-1] == "Undated option"
    else:
        assert set(titles[-2:]) == {"Undated option", "Ended licence"}  # no standing value
    if ordering == "-value":
        assert titles[:2] == ["Big licence", "Small licence"]


def test_chips_remove_one_value_each(db: None, page_client: Client) -> None:
    _field()
    url = reverse("programs:deal_list")
    response = page_client.get(url, {"kind": ["licence", "option"], "party": "bms", "ordering": "title"})
    chips = {c.label: c.url for c in response.context["chips"]}
    assert set(chips) == {"Kind: Licence", "Kind: Option", "Party: Bristol Myers Squibb"}  # not the sort
    assert chips["Kind: Option"] == "?kind=licence&party=bms&ordering=title"
    assert chips["Party: Bristol Myers Squibb"] == "?kind=licence&kind=option&ordering=title"
    html = response.content.decode()
    assert 'href="?kind=licence&amp;party=bms&amp;ordering=title"' in html


def test_empty_parameters_are_dropped_from_the_url(db: None, page_client: Client) -> None:
    url = reverse("programs:deal_list")
    response = page_client.get(url + "?q=&party=&kind=licence&year_min=&ordering=")
    assert response.status_code == 302 and response["Location"] == url + "?kind=licence"
    response = page_client.get(url + "?q=&party=")
    assert response["Location"] == url


def test_the_api_takes_the_same_facet_parameters(db: None, page_client: Client) -> None:
    _field()
    response = page_client.get("/api/v1/deals/", {"year": "none"})
    assert response.status_code == 200
    assert [d["title"] for d in response.json()["results"]] == ["Undated option"]
    response = page_client.get("/api/v1/deals/", {"size": "gte5000"})
    assert [d["title"] for d in response.json()["results"]] == ["Big licence"]
    assert page_client.get("/api/v1/deals/", {"size": "%v"}).status_code == 400


def test_counts_right_after_an_edit_are_reused_briefly_and_said_so(
    db: None, page_client: Client, settings: Any
) -> None:
    settings.ADCTRACK_FACET_FRESH_SECONDS = 60
    _field()
    url = reverse("programs:deal_list")
    assert _facets(page_client.get(url))["kind"]["option"] == (1, False)
    DealFactory(title="New option", kind="option")  # an edit: the data version moves
    response = page_client.get(url)
    assert "New option" in _titles(response)  # the rows are current at once
    assert _facets(response)["kind"]["option"] == (1, False) and response.context["facets_stale"]
    assert "Counts from just before the latest edit" in response.content.decode()
    settings.ADCTRACK_FACET_FRESH_SECONDS = 0
    DealFactory(title="Newer option", kind="option")
    response = page_client.get(url)
    assert _facets(response)["kind"]["option"] == (3, False) and not response.context["facets_stale"]


@pytest.mark.parametrize("query", [
    "year=99999", "year=%25v", "size=%25v&size=lt100", "party=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "ordering=value,-value,%25", "kind=licence&kind=%00", "target=%25%25&pair=-",
    "year=none&year=2024&size=undisclosed",
])
def test_hostile_deal_list_queries_get_a_page_not_a_500(db: None, page_client: Client, query: str) -> None:
    _field()
    response = page_client.get(f"{reverse('programs:deal_list')}?{query}")
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()  # a party name is shown escaped
    bd = Client()
    bd.force_login(user_in("bd"))
    for fmt in ("csv", "xlsx"):
        export = bd.get(f"{reverse('programs:deal_export')}?format={fmt}&{query}")
        assert export.status_code in (200, 400), (fmt, export.status_code)  # a file or a message, never a 500
        if export.status_code == 400:
            assert export["Content-Type"].startswith("text/plain")
