"""The deal list: filters, sort and page in the URL, bounded queries at two data sizes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AssetFactory, DealFactory, DealPartyFactory, DealTermsFactory


@pytest.fixture
def page_client(client: Client, django_user_model: Any) -> Client:
    """A signed-in viewer: reading needs an account."""
    client.force_login(django_user_model.objects.create_user("reader", password="long-enough-password"))
    return client


def _deals(n: int) -> None:
    for deal in DealFactory.create_batch(n):
        DealPartyFactory(deal=deal)
        DealPartyFactory(deal=deal, role="licensee")
        DealTermsFactory(deal=deal)
        deal.assets.add(AssetFactory())


@pytest.mark.parametrize("size", [3, 30])
def test_it_lists_deals_in_a_bounded_number_of_queries(
    db: None, page_client: Client, django_assert_max_num_queries: Any, size: int
) -> None:
    _deals(size)
    # the page (count, rows, prefetches) and one GROUP BY per facet (programs.readpath.deal_facets)
    with django_assert_max_num_queries(16):
        response = page_client.get(reverse("programs:deal_list"), {"ordering": "-value", "kind": "licence"})
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == size


def test_it_filters_sorts_and_pages_from_the_url(db: None, page_client: Client) -> None:
    small = DealFactory(title="Small", announced_on=dt.date(2022, 5, 1))
    DealTermsFactory(deal=small, total_value=Decimal("10"))
    big = DealFactory(title="Big", announced_on=dt.date(2024, 5, 1), kind="option")
    DealTermsFactory(deal=big, total_value=Decimal("500"), currency="EUR", usd_per_unit=Decimal("2"))
    DealPartyFactory(deal=big, company__name="Acme Bio", role="option_holder")

    def titles(**query: str) -> list[str]:
        response = page_client.get(reverse("programs:deal_list"), query)
        return [d.title for d in response.context["table"].page.object_list.data]

    assert titles(value_min="900") == ["Big"]  # 500 EUR x 2 = 1000 M USD
    assert titles(value_max="100") == ["Small"]
    assert titles(year_max="2023") == ["Small"]
    assert titles(party="Acme Bio", role="option_holder") == ["Big"]
    assert titles(party="Acme Bio", role="licensor") == []
    assert titles(kind="option") == ["Big"]
    assert titles(ordering="value") == ["Small", "Big"]
    assert titles(ordering="-value") == ["Big", "Small"]
    html = page_client.get(reverse("programs:deal_list"), {"kind": "option"}).content.decode()
    assert "Acme Bio" in html and "1,000.0" in html


def test_it_pages_with_the_filters_kept(db: None, page_client: Client) -> None:
    DealFactory.create_batch(55, kind="licence")
    html = page_client.get(reverse("programs:deal_list"), {"kind": "licence"}).content.decode()
    assert "kind=licence" in html and "page=2" in html
    second = page_client.get(reverse("programs:deal_list"), {"kind": "licence", "page": "2"})
    assert len(second.context["table"].page.object_list) == 5


def test_a_company_in_two_roles_is_listed_once_and_an_unknown_value_is_undisclosed(
    db: None, page_client: Client
) -> None:
    deal = DealFactory(title="Two roles")
    DealPartyFactory(deal=deal, company__name="Solo Pharma", role="licensor")
    bms = DealPartyFactory(deal=deal, company__name="Big Pharma", role="licensee").company
    DealPartyFactory(deal=deal, company=bms, role="co_developer")
    html = page_client.get(reverse("programs:deal_list")).content.decode()
    assert 'Big Pharma <span class="muted">(Licensee)</span>' not in html  # not once per role
    assert 'Big Pharma <span class="muted">(Licensee, Co-developer)</span>' in html
    assert "undisclosed" in html  # no terms: never a dash that reads like 0
