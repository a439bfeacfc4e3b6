"""Each statistics group against the demo data set, counted by hand from programs/demo/data.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from milestones.models import Milestone
from programs.derivation.derived import recompute_asset
from programs.derivation.stats.compute import recompute_all, recompute_group
from programs.derivation.stats.groups import GROUPS
from programs.models import Asset, Source, Statistic, StatisticGroup, StatisticSnapshot
from tests.stats.helpers import figures, records

pytestmark = pytest.mark.django_db


def test_it_counts_assets_by_highest_phase(demo_stats: None) -> None:
    # T-DM1, T-DXd approved; NEOK002 (FDA) and JS212 (NMPA) IND cleared; JSKN021 IND accepted;
    # BA1301 and Varseta-M in Phase 1; BL-B01D1 in Phase 3.
    assert figures("highest_phase") == {"approved": 2, "ind": 2, "ind_enabling": 1, "phase1": 2, "phase3": 1}


def test_it_counts_assets_by_target_and_pair(demo_stats: None) -> None:
    # Varseta-M (CX-2051) targets EpCAM, as the CytomX release states.
    assert figures("target") == {"EGFR": 4, "ERBB3": 3, "MUC1": 1, "ERBB2": 2, "CLDN18.2": 1, "EPCAM": 1}
    assert figures("target_pair") == {"EGFR-ERBB3": 3, "EGFR-MUC1": 1}
    assert Statistic.objects.get(group="target_pair", key="EGFR-ERBB3").meta["label"] == "EGFR x ERBB3"


def test_it_counts_assets_by_format_conjugation_payload_and_country(demo_stats: None) -> None:
    assert figures("antibody_format") == {"bispecific": 4, "monospecific_igg": 4}
    assert figures("conjugation_method") == {
        "site_glycan": 1, "site_other": 1, "stochastic_cysteine": 1, "stochastic_lysine": 1, "unknown": 4,
    }
    # JSKN021 carries two payloads of class "other" and counts once.
    assert figures("payload_class") == {"topo1": 2, "tubulin": 1, "other": 1}
    assert figures("originator_country") == {"CN": 5, "US": 2, "JP": 1}


def test_it_computes_the_site_specific_share_of_clinical_stage_assets(demo_stats: None) -> None:
    # Clinical stage: BA1301, Varseta-M, BL-B01D1, T-DM1, T-DXd; only BA1301 (C-Lock) is site-specific.
    share = Statistic.objects.get(group="site_specific_share", key="clinical")
    assert (share.value, share.records, share.meta["site_specific"]) == (20.0, 5, 1)
    assert figures("conjugation_by_phase")["phase1|site_other"] == 1
    assert figures("conjugation_by_phase")["ind_enabling|site_glycan"] == 1


def test_it_counts_inds_per_agency_and_year_and_the_median_ind_to_dosing(demo_stats: None) -> None:
    # Both demo IND clearances are undated: nothing to count by year, and nobody was dosed.
    assert figures("inds_per_agency_year") == {}
    assert records("ind_to_dosing") == {"median_days": 0}
    src = Source.objects.first()
    assert src is not None
    for code, ind, dosed in (("JSKN021", "2025-01-10", "2025-03-11"), ("BA1301", "2024-05-01", "2024-06-10"),
                             ("T-DXd", "2024-07-01", "2024-09-29")):
        asset = Asset.objects.get(code=code)
        Milestone.objects.create(asset=asset, kind="ind_cleared", agency="FDA", date=dt.date.fromisoformat(ind),
                                 source=src)
        Milestone.objects.create(asset=asset, kind="first_patient_dosed", agency="FDA",
                                 date=dt.date.fromisoformat(dosed), source=src)
        recompute_asset(asset.pk)
    recompute_all()
    assert figures("inds_per_agency_year") == {"FDA|2024": 2, "FDA|2025": 1}
    # 60, 40 and 90 days: median 60, from 3 assets.
    assert figures("ind_to_dosing") == {"median_days": 60.0}
    assert records("ind_to_dosing") == {"median_days": 3}


def test_it_reports_ild_incidence_by_payload_class_with_each_source(demo_stats: None) -> None:
    # topo1: BL-B01D1 0.6 % and T-DXd 68.43 % (mean 34.515); tubulin: T-DM1 9.49 %.
    assert figures("ild_by_payload_class") == {"topo1": 34.515, "tubulin": 9.49}
    assert records("ild_by_payload_class") == {"topo1": 2, "tubulin": 1}
    points = Statistic.objects.filter(group="ild_points")
    assert sorted((p.meta["asset"], p.value) for p in points) == [
        ("BL-B01D1", 0.6), ("T-DM1", 9.49), ("T-DXd", 68.43)
    ]
    assert all(p.meta["url"].startswith("https://") for p in points)


def test_it_counts_deals_and_values_only_the_standing_figure(demo_stats: None) -> None:
    assert figures("deals_by_year") == {"2023": 1, "2024": 1, "undated": 5}
    # BMS's own US$8.4 billion stands; the press's "$84 billion" is kept but not summed.
    assert figures("deal_value_by_year")["2023"] == 8400.0
    assert records("deal_value_by_year")["2023"] == 1
    assert figures("deals_by_kind") == {"research": 3, "licence": 1, "cdmo": 1, "co_development": 1, "platform": 1}
    assert figures("deal_value_by_kind")["co_development"] == 8400.0
    assert figures("deals_by_territory")["unspecified"] == 6
    assert sum(figures("deals_by_territory").values()) == 7


def test_it_converts_deal_values_to_usd(demo_stats: None) -> None:
    from programs.models import Deal, DealTerms

    deal = Deal.objects.get(title__startswith="Biocytogen licenses")
    DealTerms.objects.create(deal=deal, source=deal.source, currency="EUR", total_value=Decimal("100"),
                             usd_per_unit=Decimal("1.1"), stands=True)
    recompute_group("deal_value_by_year")
    assert figures("deal_value_by_year")["2024"] == pytest.approx(110.0)


def test_it_records_when_and_from_how_many_records_each_figure_was_computed(demo_stats: None) -> None:
    assert set(StatisticGroup.objects.values_list("group", flat=True)) == set(GROUPS)
    assert not StatisticGroup.objects.filter(dirty=True).exists()
    assert all(s.computed_at is not None for s in Statistic.objects.all())
    assert StatisticSnapshot.objects.filter(group="highest_phase").count() == 5


def test_it_drops_figures_whose_key_disappeared(demo_stats: None) -> None:
    Asset.objects.filter(code="JSKN021").update(conjugation_method="site_cysteine")
    recompute_group("conjugation_method")
    assert "site_glycan" not in figures("conjugation_method")
    assert figures("conjugation_method")["site_cysteine"] == 1
    today = StatisticSnapshot.objects.filter(group="conjugation_method").values_list("key", flat=True)
    assert "site_glycan" not in set(today)


def test_it_is_idempotent(demo_stats: None) -> None:
    before = list(Statistic.objects.values_list("group", "key", "value", "records", "meta"))
    recompute_all()
    recompute_all()
    assert list(Statistic.objects.values_list("group", "key", "value", "records", "meta")) == before
    assert StatisticSnapshot.objects.count() == len(before)
