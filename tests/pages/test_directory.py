"""Company and target lists and pages: content, links, counts and query bounds."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Company, Target

pytestmark = pytest.mark.django_db


def test_it_shows_a_company_pipeline_and_each_deal_once(viewer_client: Client, demo_data: None) -> None:
    response = viewer_client.get(reverse("programs:company_detail", args=["biocytogen"]))
    html = response.content.decode()
    assert "NEOK002" in html and "RenLite/RenMice" in html and "China" in html
    (deal,) = [d for d in response.context["deals"] if "NEOK002" in d.deal.title]
    assert deal.roles == ["Licensor"] and [(c.name, r) for c, r in deal.counterparties] == [("NEOK Bio", ["Licensee"])]
    partner = viewer_client.get(reverse("programs:company_detail", args=["neok-bio"])).content.decode()
    assert "Pipeline as partner" in partner and "NEOK002" in partner


def test_a_company_in_two_roles_sees_the_deal_once_with_its_money(viewer_client: Client, demo_data: None) -> None:
    response = viewer_client.get(reverse("programs:company_detail", args=["bristol-myers-squibb"]))
    deals = [d for d in response.context["deals"] if "BL-B01D1" in d.deal.title]
    assert len(deals) == 1  # licensee and co-developer: one row, both roles
    (deal,) = deals
    assert deal.roles == ["Licensee", "Co-developer"]
    assert deal.total_usd == 8400 and deal.upfront_usd == 800
    html = response.content.decode()
    assert "Licensee, Co-developer" in html and "8,400.0" in html and "800.0" in html


def test_it_shows_a_target_with_its_pairs_and_aliases(viewer_client: Client, demo_data: None) -> None:
    response = viewer_client.get(reverse("programs:target_detail", args=["egfr"]))
    html = response.content.decode()
    partners = {p["symbol"]: p["n"] for p in response.context["partners"]}
    assert partners["ERBB3"] >= 3 and partners["MUC1"] == 1
    assert "HER1" in html and "NEOK002" in html and "pair=EGFR-ERBB3" in html


def test_it_counts_assets_in_the_lists(viewer_client: Client, demo_data: None) -> None:
    targets = viewer_client.get(reverse("programs:target_list"), {"sort": "assets"})
    first = next(iter(targets.context["page"]))
    assert first.symbol == "EGFR" and first.n_assets == 4
    companies = viewer_client.get(reverse("programs:company_list"), {"q": "biocytogen"})
    row = next(iter(companies.context["page"]))
    assert row.name == "Biocytogen" and row.n_assets == 1


@pytest.mark.parametrize("url", ["/companies/?page=x&sort=zzz", "/targets/?page=-1&sort=__x", "/targets/?q=%25"])
def test_it_survives_bad_list_parameters(viewer_client: Client, demo_data: None, url: str) -> None:
    assert viewer_client.get(url).status_code == 200


def test_it_runs_a_bounded_number_of_queries(
    viewer_client: Client, generated: int, django_assert_max_num_queries  # type: ignore[no-untyped-def]
) -> None:
    company = Company.objects.order_by("pk").first()
    target = Target.objects.get(symbol="ERBB2")
    assert company is not None
    for url in (reverse("programs:company_list"), reverse("programs:target_list"), company.get_absolute_url(),
                target.get_absolute_url()):
        with django_assert_max_num_queries(16):  # incl. session, user and the two permission lookups
            assert viewer_client.get(url).status_code == 200
