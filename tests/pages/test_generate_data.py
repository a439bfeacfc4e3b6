"""The data generator: deterministic by seed, derived columns and regulatory status equal to what
recompute_asset writes, trials linked to their phase starts."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from milestones.models import Milestone, RegulatoryStatus, Trial, TrialRegistryId
from milestones.models.trials import normalize_registry_id
from milestones.vocab import MilestoneKind, MilestoneStatus, TrialStatus
from programs import generation
from programs.derivation.derived import recompute_asset
from programs.generation import events as generation_events
from programs.generation import generate
from programs.models import Asset, AssetTarget
from programs.vocab import Phase

pytestmark = pytest.mark.django_db

DERIVED = (
    "highest_phase",
    "highest_phase_rank",
    "current_phase",
    "latest_milestone_id",
    "latest_event_date",
    "first_ind",
    "first_dosed_on",
    "ind_to_dosing_days",
    "target_pair_id",
    "marketed",
    "phase_by_agency",
    "phase_by_indication",
    "overdue_planned",
)


def snapshot(pks: list[int]) -> list[tuple]:
    """What a seed decides, independent of the primary keys the rows got."""
    rows = (
        Asset.objects.filter(pk__in=pks)
        .order_by("pk")
        .values_list("highest_phase", "antibody_format", "conjugation_method", "status", "masked", "linker_cleavable")
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


def derived_state() -> tuple[dict[int, dict], list[dict]]:
    """Every asset's derived columns and every RegulatoryStatus row (with its primary key: a rewrite shows)."""
    assets = {a["pk"]: a for a in Asset.objects.values("pk", *DERIVED)}
    rows = list(RegulatoryStatus.objects.order_by("asset_id", "position").values())
    return assets, rows


def assert_recompute_changes_nothing() -> None:
    before = derived_state()
    for pk in before[0]:
        recompute_asset(pk)
    assert derived_state() == before


def test_it_fills_derived_columns_as_recompute_would() -> None:
    generate(200, seed=3)
    assert RegulatoryStatus.objects.exists()
    assert_recompute_changes_nothing()


@pytest.fixture
def approvals_heavy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every asset filed or approved, and every regulatory sequel far likelier than in real life."""
    monkeypatch.setattr(generation, "FUNNEL", [(Phase.FILED, 1), (Phase.APPROVED, 4)])
    for name, chance in [
        ("WITHDRAWN", 0.5),
        ("REAPPROVED", 0.5),
        ("SECOND_INDICATION", 0.8),
        ("CONVERTED", 0.9),
        ("OTHER_MARKET", 0.9),
        ("CRL", 0.5),
    ]:
        monkeypatch.setattr(generation_events, name, chance)
    # Mostly accelerated / conditional first approvals: many conversions, each a second approval of one
    # (indication, agency) that must not fall in the first one's period (the natural key).
    special = {"FDA": ("accelerated", 0.8), "NMPA": ("conditional", 0.8), "EC": ("conditional", 0.5)}
    monkeypatch.setattr(generation_events, "SPECIAL_APPROVAL", special)


@pytest.mark.usefixtures("approvals_heavy")
def test_regulatory_sequels_are_derived_as_recompute_would() -> None:
    generate(80, seed=4)
    kinds = Counter(Milestone.objects.values_list("kind", flat=True))
    for kind in (
        MilestoneKind.APPROVAL,
        MilestoneKind.LABEL_EXPANSION,
        MilestoneKind.AUTHORISATION_WITHDRAWN,
        MilestoneKind.CHMP_OPINION,
        MilestoneKind.COMPLETE_RESPONSE,
    ):
        assert kinds[kind] > 0, kind
    assert Milestone.objects.filter(kind=MilestoneKind.APPROVAL, agency="EC").exists()
    states = set(RegulatoryStatus.objects.values_list("state", flat=True))
    assert {"approved", "withdrawn", "filed"} <= states
    assert RegulatoryStatus.objects.filter(converted=True).exists()
    assert Asset.objects.filter(marketed=True).exists()
    # Two approvals of one asset on one day for two indications at one agency.
    same_day = Counter(Milestone.objects.filter(kind=MilestoneKind.APPROVAL).values_list("asset_id", "agency", "date"))
    assert max(same_day.values()) >= 2
    assert_recompute_changes_nothing()


def test_approval_types_follow_the_agency() -> None:
    rng = random.Random(7)
    fda = Counter(generation_events.approval_type(rng, "FDA") for _ in range(4000))
    nmpa = Counter(generation_events.approval_type(rng, "NMPA") for _ in range(4000))
    pmda = Counter(generation_events.approval_type(rng, "PMDA") for _ in range(4000))
    assert 0.26 < fda["accelerated"] / 4000 < 0.34 and set(fda) == {"accelerated", "full"}
    assert 0.36 < nmpa["conditional"] / 4000 < 0.44
    assert pmda["full"] / 4000 > 0.9


def test_every_phase_start_belongs_to_a_generated_trial() -> None:
    generate(150, seed=6)
    starts = Milestone.objects.filter(kind=MilestoneKind.PHASE_STARTED)
    assert starts.exists() and not starts.filter(trial_record__isnull=True).exists()
    ids = list(TrialRegistryId.objects.values_list("value", flat=True))
    assert len(ids) == len(set(ids)) == Trial.objects.count()
    assert all(re.fullmatch(r"NCT9\d{7}", v) and normalize_registry_id(v) == ("nct", v) for v in ids)
    for m in starts.select_related("trial_record", "asset")[:300]:
        trial = m.trial_record
        assert m.trial_id == trial.registry_ids.get().value
        assert list(trial.assets.all()) == [m.asset]
        assert trial.lead_sponsor_id == m.asset.originator_id
        assert trial.start_date <= m.date
        assert trial.start_date <= trial.primary_completion_date <= trial.completion_date
        if m.status == MilestoneStatus.PLANNED:
            assert trial.overall_status in (TrialStatus.NOT_YET_RECRUITING, TrialStatus.WITHDRAWN)
        else:
            assert trial.overall_status not in (TrialStatus.NOT_YET_RECRUITING, TrialStatus.WITHDRAWN)
    # The running trials belong to assets still in the clinic; a filed or approved asset's are finished
    # or no longer recruiting.
    recruiting = Trial.objects.filter(overall_status=TrialStatus.RECRUITING)
    assert recruiting.exists()
    assert not recruiting.filter(assets__highest_phase__in=[Phase.FILED, Phase.APPROVED]).exists()
    assert Trial.objects.filter(overall_status=TrialStatus.COMPLETED).exists()
    assert Trial.objects.filter(conditions__isnull=False).exists()


def test_it_is_realistic_enough() -> None:
    result = generate(300, seed=5)
    assert result.milestones / result.assets > 4
    assert Asset.objects.filter(target_pair__isnull=False).exists()
    egfr_erbb3 = Asset.objects.filter(
        target_pair__low__symbol__in=["EGFR", "ERBB3"], target_pair__high__symbol__in=["EGFR", "ERBB3"]
    ).count()
    assert egfr_erbb3 > 0
    top = AssetTarget.objects.values_list("target__symbol", flat=True)
    assert "ERBB2" in set(top)
    phases = set(Asset.objects.values_list("highest_phase", flat=True))
    assert {"preclinical", "phase1"} <= phases
