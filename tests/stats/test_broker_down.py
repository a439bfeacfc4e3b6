"""When the broker is unreachable, an edit is still saved, its flags stay dirty, and the sweeper catches up."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from milestones.models import Milestone
from programs.models import Asset, JobRun, JobStatus, Source, StatisticGroup
from programs.tasks import recompute_asset, recompute_stats, sweep_dirty
from tests.stats.helpers import figures

pytestmark = pytest.mark.django_db


def test_it_saves_the_edit_and_keeps_it_dirty_when_enqueuing_fails(
    demo_stats: None, django_capture_on_commit_callbacks, caplog: pytest.LogCaptureFixture
) -> None:
    asset = Asset.objects.get(code="JSKN021")
    down = OperationalError("Error 111 connecting to 127.0.0.1:1. Connection refused.")
    with mock.patch.object(recompute_asset, "apply_async", side_effect=down), \
            mock.patch.object(recompute_stats, "apply_async", side_effect=down):
        with django_capture_on_commit_callbacks(execute=True):
            Milestone.objects.create(asset=asset, kind="ind_cleared", agency="FDA", date=dt.date(2025, 6, 2),
                                     source=Source.objects.first())
    assert Milestone.objects.filter(asset=asset, kind="ind_cleared").exists()
    asset.refresh_from_db()
    assert asset.derived_dirty is True
    assert StatisticGroup.objects.get(group="inds_per_agency_year").dirty is True
    assert "dirty flag stays set" in caplog.text
    assert "FDA|2025" not in figures("inds_per_agency_year")

    sweep_dirty.apply()  # the broker is back (eager): the sweeper queues what is dirty

    asset.refresh_from_db()
    assert asset.derived_dirty is False and asset.highest_phase == "ind"
    assert figures("inds_per_agency_year")["FDA|2025"] == 1
    assert figures("highest_phase")["ind"] == 3
    assert not StatisticGroup.objects.filter(dirty=True).exists()
    assert JobRun.objects.filter(task_name="programs.sweep_dirty", status=JobStatus.SUCCESS).exists()


def test_it_records_a_failed_run_and_keeps_the_flag(demo_stats: None) -> None:
    from django.db import DatabaseError

    StatisticGroup.objects.filter(group="target").update(dirty=True)
    boom = mock.Mock(side_effect=ValueError("boom"))
    with mock.patch.dict("programs.derivation.stats.groups.GROUPS", {"target": boom}):
        with pytest.raises(ValueError):
            recompute_stats.apply(args=[["target"]], throw=True)
    run = JobRun.objects.filter(task_name="programs.recompute_stats").latest("id")
    assert run.status == JobStatus.FAILURE and "boom" in run.error and run.finished_at is not None
    assert StatisticGroup.objects.get(group="target").dirty is True  # rolled back with the failed run
    assert DatabaseError in recompute_stats.autoretry_for and recompute_stats.max_retries == 5


def test_it_marks_a_database_error_for_retry(demo_stats: None) -> None:
    from django.db import OperationalError as DbOperationalError

    failing = mock.Mock(side_effect=DbOperationalError("locked"))
    with mock.patch.dict("programs.derivation.stats.groups.GROUPS", {"target": failing}):
        with mock.patch.object(recompute_stats, "retry", side_effect=RuntimeError("retry scheduled")) as retry:
            with pytest.raises(RuntimeError):
                recompute_stats.apply(args=[["target"]], throw=True)
    assert retry.called
    assert JobRun.objects.filter(task_name="programs.recompute_stats").latest("id").status == JobStatus.RETRY
