"""The data generator: deterministic by seed, derived columns equal to what recompute_asset writes."""

from __future__ import annotations

import pytest

from milestones.models import Milestone
from programs.derived import recompute_asset
from programs.generation import generate
from programs.models import Asset, AssetTarget

pytestmark = pytest.mark.django_db

DERIVED = ("highest_phase", "highest_phase_rank", "current_phase", "latest_milestone_id", "latest_event_date",
           "first_ind", "first_dosed_on", "ind_to_dosing_days", "target_pair_id")


def snapshot(pks: list[int]) -> list[tuple]:
    """What a seed decides, independent of the primary keys the rows got."""
    rows = Asset.objects.filter(pk__in=pks).order_by("pk").values_list(
        "highest_phase", "antibody_format", "conjugation_method", "status", "masked", "linker_cleavable"
    )
    targets = [
        tuple(AssetTarget.objects.filter(asset_id=pk).order_by("position").values_list("target__symbol", flat=True))
        for pk in pks
    ]
    return list(zip(rows, targets, strict=False))


def test_it_generates_the_same_data_for_the_same_seed() -> None:
    generate(40, seed=11)
    first = list(Asset.objects.order_by("pk").values_list("pk", flat=True))
    generate(40, seed=11)
    second = list(Asset.objects.exclude(pk__in=first).order_by("pk").values_list("pk", flat=True))
    generate(40, seed=12)
    assert len(second) == 40
    assert snapshot(first) == snapshot(second)
    assert Milestone.objects.filter(asset_id__in=first).count() == Milestone.objects.filter(asset_id__in=second).count()


def test_it_fills_derived_columns_as_recompute_would() -> None:
    generate(60, seed=3)
    before = {a["pk"]: a for a in Asset.objects.values("pk", *DERIVED)}
    for pk in before:
        recompute_asset(pk)
    after = {a["pk"]: a for a in Asset.objects.values("pk", *DERIVED)}
    assert before == after


def test_it_is_realistic_enough() -> None:
    result = generate(300, seed=5)
    assert result.milestones / result.assets > 4
    assert Asset.objects.filter(target_pair__isnull=False).exists()
    egfr_erbb3 = Asset.objects.filter(target_pair__low__symbol__in=["EGFR", "ERBB3"],
                                      target_pair__high__symbol__in=["EGFR", "ERBB3"]).count()
    assert egfr_erbb3 > 0
    top = AssetTarget.objects.values_list("target__symbol", flat=True)
    assert "ERBB2" in set(top)
    phases = set(Asset.objects.values_list("highest_phase", flat=True))
    assert {"preclinical", "phase1"} <= phases
