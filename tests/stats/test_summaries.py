"""Target and company summaries equal a recount of the assets after edits, deletes, imports and rebuilds."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from programs.derivation import summaries
from programs.generation import generate
from programs.io.columns import ASSET_COLUMNS
from programs.io.importers import import_csv
from programs.models import Asset, AssetTarget, Company, CompanySummary, Source, Target, TargetSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(db: None) -> Client:
    from django.contrib.auth import get_user_model

    from programs.roles import VIEWER, ensure_roles

    user = get_user_model().objects.create_user("summary-viewer", password="viewer-pass-123")
    user.groups.add(ensure_roles()[VIEWER])
    client = Client()
    client.force_login(user)
    return client


def _recount() -> tuple[dict[int, tuple[Any, ...]], dict[int, int]]:
    """Every summary counted in Python from the raw rows (not by ``programs.derivation.summaries``)."""
    links: Counter[int] = Counter()
    assets: dict[int, set[int]] = defaultdict(set)
    for target_id, asset_id in AssetTarget.objects.values_list("target_id", "asset_id"):
        links[target_id] += 1
        assets[target_id].add(asset_id)
    phase = dict(Asset.objects.values_list("pk", "highest_phase"))
    pairs: dict[int, Counter[int]] = defaultdict(Counter)
    for pair_id, low, high in Asset.objects.filter(target_pair__isnull=False).values_list(
        "target_pair_id", "target_pair__low_id", "target_pair__high_id"
    ):
        for side in {low, high}:
            pairs[side][pair_id] += 1
    targets = {}
    for pk in Target.objects.values_list("pk", flat=True):
        by_phase = dict(Counter(phase[a] for a in assets[pk]))
        targets[pk] = (links[pk], len(assets[pk]), by_phase, sorted([p, n] for p, n in pairs[pk].items()))
    companies = dict.fromkeys(Company.objects.values_list("pk", flat=True), 0)
    for originator_id in Asset.objects.values_list("originator_id", flat=True):
        companies[originator_id] += 1
    return targets, companies


def _assert_summaries_match() -> None:
    targets, companies = _recount()
    stored = {s.target_id: s for s in TargetSummary.objects.all()}
    for pk, expected in targets.items():
        s = stored.get(pk)
        got = (0, 0, {}, []) if s is None else (s.n_links, s.n_assets, s.by_phase, s.partners)
        assert got == expected, Target.objects.get(pk=pk).symbol
        assert s is None or not s.dirty
    stored_companies = {s.company_id: s for s in CompanySummary.objects.all()}
    for pk, expected_n in companies.items():
        c = stored_companies.get(pk)
        assert (0 if c is None else c.n_assets) == expected_n and (c is None or not c.dirty)


def test_generated_data_is_summarized(db: None) -> None:
    generate(40, seed=3)
    _assert_summaries_match()
    assert TargetSummary.objects.filter(n_assets__gt=0).exists()


def test_edits_and_deletes_keep_the_summaries_equal_to_a_recount(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    generate(30, seed=5)
    other_company = Company.objects.order_by("-pk").first()
    her3 = Target.objects.get(symbol="ERBB3")
    asset, moved, doomed = Asset.objects.order_by("pk")[:3]
    source = Source.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        # A phase reached (the target pages count by highest phase) ...
        Milestone.objects.create(
            asset=asset, kind="phase_started", phase="phase3", status="occurred", date="2024-01-01", source=source
        )
    with django_capture_on_commit_callbacks(execute=True):
        # ... another originator (both companies' counts move) and another second target (a new pair) ...
        moved.originator = other_company
        moved.save()
        link = moved.asset_targets.order_by("position").last()
        if link is not None and link.position > 0:
            link.target = her3
            link.save()
        else:
            AssetTarget.objects.create(asset=moved, target=her3, position=1)
    with django_capture_on_commit_callbacks(execute=True):
        for model in (Milestone, SafetyEvent, SafetyMeasure, EfficacyReadout):  # its facts protect it
            model.objects.filter(asset=doomed).delete()
        doomed.delete()  # ... and an asset gone
    _assert_summaries_match()


def test_an_import_keeps_the_summaries_equal_to_a_recount(db: None, django_capture_on_commit_callbacks: Any) -> None:
    generate(10, seed=2)
    header = ",".join(ASSET_COLUMNS)
    values = dict.fromkeys(ASSET_COLUMNS, "")
    rows = []
    for i, targets in enumerate(["EGFR", "EGFR;ERBB3", "ERBB2;ERBB2"]):
        values.update(code=f"IMP-{i}", originator="Import Bio", targets=targets)
        rows.append(",".join(values.values()))
    with django_capture_on_commit_callbacks(execute=True):
        report = import_csv("assets", "\n".join([header, *rows]))
    assert not report.errors, report.errors
    _assert_summaries_match()
    assert CompanySummary.objects.get(company__name="Import Bio").n_assets == 3


def test_rebuild_repairs_summaries_written_wrong(db: None) -> None:
    generate(12, seed=4)
    TargetSummary.objects.update(n_assets=999, by_phase={}, partners=[])
    CompanySummary.objects.all().delete()
    call_command("rebuild_summaries", verbosity=0)
    _assert_summaries_match()


def test_the_pages_count_live_while_a_summary_is_dirty(db: None, viewer_client: Client) -> None:
    generate(12, seed=6)
    egfr = Target.objects.get(symbol="EGFR")
    n = AssetTarget.objects.filter(target=egfr).values("asset_id").distinct().count()
    TargetSummary.objects.filter(target=egfr).update(n_assets=999, dirty=True)
    response = viewer_client.get(egfr.get_absolute_url())
    assert response.context["total"] == n
    listed = viewer_client.get("/targets/", {"q": "EGFR"})
    row = next(t for t in listed.context["page"] if t.symbol == "EGFR")
    assert row.n_assets == AssetTarget.objects.filter(target=egfr).count()
    assert summaries.recompute_dirty() >= 1
    _assert_summaries_match()
