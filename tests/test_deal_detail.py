"""The deal page: parties, roles, linked assets, every amount with currency, USD, standing flag and source."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Deal
from tests.factories import AssetFactory, DealFactory, DealPartyFactory, DealTermsFactory


@pytest.fixture
def page_client(client: Client, django_user_model: Any) -> Client:
    """A signed-in viewer: reading needs an account."""
    client.force_login(django_user_model.objects.create_user("reader", password="long-enough-password"))
    return client


def _deal(n_assets: int) -> Deal:
    deal = DealFactory(title="BMS x SystImmune")
    DealPartyFactory(deal=deal, company__name="SystImmune", role="licensor")
    DealPartyFactory(deal=deal, company__name="Bristol Myers Squibb", role="licensee")
    DealTermsFactory(deal=deal, upfront=Decimal("800"), near_term=Decimal("500"), milestones=Decimal("7100"),
                     total_value=Decimal("8400"), source__title="BMS release")
    DealTermsFactory(deal=deal, upfront=None, total_value=Decimal("600"), currency="EUR",
                     usd_per_unit=Decimal("1.1"), stands=False, source__title="Press story")
    for _ in range(n_assets):
        deal.assets.add(AssetFactory())
    return deal


@pytest.mark.parametrize("n_assets", [1, 10])
def test_it_shows_every_amount_in_bounded_queries(db: None, page_client: Client, django_assert_max_num_queries: Any,
                                                  n_assets: int) -> None:
    deal = _deal(n_assets)
    with django_assert_max_num_queries(8):  # incl. session and user (reading needs an account)
        html = page_client.get(reverse("programs:deal_detail", args=[deal.pk])).content.decode()
    assert "SystImmune" in html and "Licensor" in html and "Licensee" in html
    assert "8400 M" in html and "660 M USD" in html and "EUR" in html
    assert "<th>Near-term</th>" in html and "<td>500 M</td>" in html  # its own column, not a note
    assert "BMS release" in html and "Press story" in html and "stands" in html
    for asset in deal.assets.all():
        assert asset.get_absolute_url() in html


def test_it_answers_404_for_an_unknown_deal(db: None, page_client: Client) -> None:
    assert page_client.get(reverse("programs:deal_detail", args=[999])).status_code == 404
