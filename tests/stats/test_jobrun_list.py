"""The admin-only job-run page and the JobRun admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.models import JobRun, JobStatus
from programs.tasks import recompute_all_stats

pytestmark = pytest.mark.django_db


def test_it_records_each_run_with_rows_and_times(demo_data: None) -> None:
    recompute_all_stats.apply()
    run = JobRun.objects.get(task_name="programs.recompute_all_stats")
    assert run.status == JobStatus.SUCCESS
    assert run.rows > 40 and run.finished_at is not None and run.duration_ms is not None


def test_it_shows_runs_to_admins_only(demo_data: None, client, django_user_model) -> None:
    recompute_all_stats.apply()
    url = reverse("programs:jobrun_list")
    viewer = django_user_model.objects.create_user("plain", password="x-long-password-123")
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    admin = django_user_model.objects.create_superuser("boss", password="x-long-password-123")
    client.force_login(admin)
    html = client.get(url).content.decode()
    assert "programs.recompute_all_stats" in html and "Succeeded" in html and "highest_phase" in html
    assert client.get(reverse("admin:programs_jobrun_changelist")).status_code == 200


@pytest.mark.parametrize("runs", [1, 40])
def test_it_reads_a_bounded_number_of_queries(db: None, client, django_user_model, runs: int,
                                              django_assert_max_num_queries) -> None:
    JobRun.objects.bulk_create([JobRun(task_name="programs.sweep_dirty") for _ in range(runs)])
    client.force_login(django_user_model.objects.create_superuser("boss", password="x-long-password-123"))
    with django_assert_max_num_queries(6):
        assert client.get(reverse("programs:jobrun_list")).status_code == 200


def test_it_creates_the_periodic_tasks(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    tasks = dict(PeriodicTask.objects.values_list("task", "enabled"))
    assert tasks["programs.sweep_dirty"] is True
    assert tasks["programs.recompute_all_stats"] is True
    sweep = PeriodicTask.objects.get(task="programs.sweep_dirty")
    assert (sweep.interval.every, sweep.interval.period) == (1, "minutes")


def test_it_recomputes_by_hand(demo_data: None) -> None:
    from django.core.management import call_command

    from programs.models import Statistic

    call_command("recompute_stats", "--assets", verbosity=0)
    assert Statistic.objects.filter(group="highest_phase").count() == 5
    assert JobRun.objects.filter(task_name="programs.recompute_assets").exists()


def test_it_prunes_old_job_runs_nightly(db: None) -> None:
    import datetime as dt

    from django.utils import timezone

    old = JobRun.objects.create(task_name="programs.sweep_dirty", started_at=timezone.now() - dt.timedelta(days=31))
    recent = JobRun.objects.create(task_name="programs.sweep_dirty", started_at=timezone.now() - dt.timedelta(days=2))
    recompute_all_stats.apply()
    assert not JobRun.objects.filter(pk=old.pk).exists()
    assert JobRun.objects.filter(pk=recent.pk).exists()
