"""The joined columns of the deal export, built per chunk: several assets and targets, terms that do not stand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from programs.vocab import DealRole
from tests.exports.helpers import csv_rows
from tests.factories import (
    AssetFactory,
    AssetTargetFactory,
    DealFactory,
    DealPartyFactory,
    DealTermsFactory,
    TargetFactory,
)


def test_it_joins_several_assets_parties_and_the_terms_that_do_not_stand(db: None, bd_client: Client) -> None:
    deal = DealFactory(title="Two assets", announced_on=dt.date(2025, 3, 14), announced_precision="day")
    bispecific = AssetFactory(code="BL-B01D1")
    AssetTargetFactory(asset=bispecific, target=TargetFactory(symbol="ERBB3"), position=2)
    AssetTargetFactory(asset=bispecific, target=TargetFactory(symbol="EGFR"), position=1)
    deal.assets.add(bispecific, AssetFactory(code="ZZ-NO-TARGET"))
    DealPartyFactory(deal=deal, company__name="SystImmune", role=DealRole.LICENSOR)
    DealPartyFactory(deal=deal, company__name="Bristol Myers Squibb", role=DealRole.LICENSEE)
    DealPartyFactory(deal=deal, company__name="WuXi", role=DealRole.SERVICE_PROVIDER)
    DealTermsFactory(deal=deal, upfront=Decimal("800"), milestones=None, total_value=Decimal("8400"),
                     source__url="https://bms.example/pr", source__title="BMS release")
    DealTermsFactory(deal=deal, upfront=None, total_value=Decimal("600.500"), currency="EUR", stands=False,
                     usd_per_unit=Decimal("1.1"), note="rumour", source__title="Press story")
    DealTermsFactory(deal=deal, upfront=None, total_value=None, stands=False, source__title="Blog")
    bare = DealFactory(title="Bare deal", announced_on=dt.date(2020, 1, 1))

    rows = {r["title"]: r for r in csv_rows(bd_client.get(reverse("programs:deal_export"), {"format": "csv"}))}

    row = rows["Two assets"]
    assert (row["announced"], row["assets"]) == ("2025-03-14", "BL-B01D1;ZZ-NO-TARGET")
    assert (row["asset_targets"], row["targets"]) == ("BL-B01D1: EGFR x ERBB3", "EGFR;ERBB3")
    assert (row["licensor"], row["licensee"], row["other_parties"]) == (
        "SystImmune", "Bristol Myers Squibb", "WuXi:service_provider")
    assert row["parties"] == (
        "SystImmune (Licensor); Bristol Myers Squibb (Licensee); WuXi (CDMO / service provider)")
    assert (row["upfront"], row["milestones"], row["total_value"], row["currency"]) == ("800", "", "8400", "USD")
    assert (row["upfront_usd"], row["total_value_usd"], row["usd_per_unit"]) == ("800", "8400", "1")
    assert row["terms_source_url"] == "https://bms.example/pr"
    assert row["other_terms"] == "600.500 M EUR (Press story: rumour) | no figure (Blog)"
    assert row["deal_path"] == f"/deals/{deal.pk}/"

    empty = rows["Bare deal"]
    assert [empty[h] for h in ("licensor", "assets", "asset_targets", "upfront", "currency", "other_terms")] == [""] * 6
    assert empty["deal_path"] == f"/deals/{bare.pk}/"
