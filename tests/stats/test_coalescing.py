"""Edits mark assets and statistics groups dirty and queue coalesced, idempotent recomputes."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from milestones.models import Milestone
from programs.derivation import queue
from programs.models import Asset, JobRun, JobStatus, Source, StatisticGroup
from programs.tasks import recompute_asset, recompute_stats
from tests.stats.helpers import figures

pytestmark = pytest.mark.django_db


def _milestone(asset: Asset, day: int) -> Milestone:
    src = Source.objects.first()
    assert src is not None
    return Milestone(asset=asset, kind="ind_cleared", agency="EMA", date=dt.date(2020, 1, 1) + dt.timedelta(days=day),
                     source=src)


def test_it_runs_one_recompute_for_a_burst_of_1000_edits_in_one_transaction(
    demo_stats: None, django_capture_on_commit_callbacks
) -> None:
    asset = Asset.objects.get(code="JSKN021")
    runs_before = JobRun.objects.filter(task_name="programs.recompute_asset").count()
    with django_capture_on_commit_callbacks(execute=True):
        for day in range(1000):
            _milestone(asset, day).save()
    assert JobRun.objects.filter(task_name="programs.recompute_asset").count() - runs_before == 1
    assert JobRun.objects.filter(task_name="programs.recompute_stats").count() <= 2
    asset.refresh_from_db()
    assert asset.derived_dirty is False and asset.highest_phase == "ind"
    assert figures("inds_per_agency_year")["EMA|2020"] == 366


def test_it_enqueues_once_for_1000_edits_in_separate_transactions_before_the_task_runs(
    demo_stats: None, django_capture_on_commit_callbacks
) -> None:
    asset = Asset.objects.get(code="JSKN021")
    with mock.patch.object(recompute_asset, "apply_async") as asset_task, \
            mock.patch.object(recompute_stats, "apply_async") as stats_task:
        for day in range(1000):
            with django_capture_on_commit_callbacks(execute=True):
                _milestone(asset, day).save()
    assert asset_task.call_count == 1
    assert asset_task.call_args.kwargs["args"] == [asset.pk]
    assert stats_task.call_count == 1
    # Only the group that reads milestones: the phase groups follow once the asset task changed the phase.
    assert set(stats_task.call_args.kwargs["args"][0]) == {"inds_per_agency_year"}
    asset.refresh_from_db()
    assert asset.derived_dirty is True
    assert StatisticGroup.objects.get(group="inds_per_agency_year").is_stale


def test_it_enqueues_again_after_the_task_cleared_the_flag(
    demo_stats: None, django_capture_on_commit_callbacks
) -> None:
    asset = Asset.objects.get(code="JSKN021")
    with mock.patch.object(recompute_asset, "apply_async") as asset_task:
        with django_capture_on_commit_callbacks(execute=True):
            _milestone(asset, 1).save()
        recompute_asset.apply(args=[asset.pk])
        with django_capture_on_commit_callbacks(execute=True):
            _milestone(asset, 2).save()
    assert asset_task.call_count == 2


def test_it_only_touches_the_groups_of_the_edited_model(demo_stats: None, django_capture_on_commit_callbacks) -> None:
    from programs.models import Deal

    with mock.patch.object(recompute_stats, "apply_async") as stats_task:
        with django_capture_on_commit_callbacks(execute=True):
            deal = Deal.objects.first()
            assert deal is not None
            deal.territory = "China"
            deal.save()
    groups = set(stats_task.call_args.kwargs["args"][0])
    assert groups == {g.group for g in StatisticGroup.objects.filter(dirty=True)}
    assert groups and all(g.startswith("deal") for g in groups)


def test_it_recomputes_the_derived_groups_after_the_asset_task_changed_the_phase(
    demo_stats: None, django_capture_on_commit_callbacks
) -> None:
    asset = Asset.objects.get(code="JSKN021")
    with django_capture_on_commit_callbacks(execute=True):
        _milestone(asset, 1).save()
    assert figures("highest_phase")["ind"] == 3
    assert "ind_enabling" not in figures("highest_phase")
    assert not StatisticGroup.objects.filter(dirty=True).exists()


def test_it_does_not_loop_on_its_own_writes(demo_stats: None, django_capture_on_commit_callbacks) -> None:
    asset = Asset.objects.get(code="BA1301")
    before = JobRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        asset.description = "edited"
        asset.save()
    # One asset run, then at most one stats run for the groups the edit touched.
    assert JobRun.objects.count() - before <= 2
    assert set(JobRun.objects.values_list("status", flat=True)) == {JobStatus.SUCCESS}


def test_it_recomputes_the_same_asset_twice_to_the_same_row(demo_stats: None) -> None:
    asset = Asset.objects.get(code="BL-B01D1")
    fields = ["highest_phase", "current_phase", "first_ind", "phase_by_agency", "target_pair_id", "search_text"]
    recompute_asset.apply(args=[asset.pk])
    first = Asset.objects.values(*fields).get(pk=asset.pk)
    recompute_asset.apply(args=[asset.pk])
    assert Asset.objects.values(*fields).get(pk=asset.pk) == first


def test_it_queues_a_new_asset_although_it_is_born_dirty(demo_stats: None, django_capture_on_commit_callbacks) -> None:
    from programs.models import Company

    with mock.patch.object(recompute_asset, "apply_async") as asset_task:
        with django_capture_on_commit_callbacks(execute=True):
            Asset.objects.create(code="NEW1", slug="new1", originator=Company.objects.first())
    assert asset_task.call_count == 1
    assert queue.asset_changed(Asset.objects.get(code="NEW1").pk) is False  # still dirty: no second enqueue
