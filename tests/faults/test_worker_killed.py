"""A Celery worker killed (SIGKILL) in the middle of a full statistics recompute: the job completes after restart.

PostgreSQL + Redis with real worker processes (marked ``worker``: the embedded run deselects it).

How "in the middle" is made deterministic, without any hook in the application: the test holds the
row lock of one statistics group half-way down the list. The job commits the groups before it (one
transaction each), then waits on that lock inside its transaction for that group; the test polls
PostgreSQL until it sees exactly that wait, then SIGKILLs the worker's process group. Nothing past
the lock can be written, and the open transaction dies with the connection.

Recovery is Redis redelivery, nothing else: the task is ``acks_late``, so its message stays in
Redis' unacknowledged set, and a worker started afterwards puts it back on the queue once it has
been out ``CELERY_VISIBILITY_TIMEOUT`` seconds (3 here, for the test's workers only; production
keeps 3600). No beat runs, and the test never calls the task itself.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from adctrack.celery_app import app as celery_app
from programs.derivation.stats.compute import recompute_all
from programs.derivation.stats.groups import GROUPS
from programs.models import JobRun, JobStatus, Statistic, StatisticGroup, StatisticSnapshot
from programs.tasks import recompute_all_stats
from tests.conftest import seed_demo
from tests.workers import celery_worker, fresh_start, kill_group, node_name, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WORKER_ENV = {"CELERY_VISIBILITY_TIMEOUT": "3"}


def _figures() -> set[tuple[str, str, float, int]]:
    return set(Statistic.objects.values_list("group", "key", "value", "records"))


def _worker_waits_for(group: str) -> bool:
    """True when another backend waits on a row lock of the statistics groups table (the job, at ``group``)."""
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the activity it read first: read it afresh.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            ["%programs_statisticgroup%FOR UPDATE%"],
        )
        waiting = cursor.fetchone()[0] == 1
    return waiting and group not in set(Statistic.objects.values_list("group", flat=True))


def _duplicates() -> list[object]:
    return [
        *Statistic.objects.values("group", "key").annotate(n=Count("id")).filter(n__gt=1),
        *StatisticSnapshot.objects.values("date", "group", "key").annotate(n=Count("id")).filter(n__gt=1),
    ]


def test_it_completes_a_full_recompute_after_its_worker_is_killed_mid_run() -> None:
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    try:  # the set-up's own recomputes (signals of seed_demo) run here, not on the worker under test
        seed_demo()
        recompute_all()
    finally:
        celery_app.conf.task_always_eager = eager
    fresh_start()
    expected = _figures()
    Statistic.objects.all().delete()  # so the figures that come back show which groups the job got through
    groups = list(GROUPS)
    held = groups[len(groups) // 2]

    with celery_worker(node_name("killed"), **WORKER_ENV) as first:
        with transaction.atomic():
            StatisticGroup.objects.select_for_update().get(group=held)
            task_id = recompute_all_stats.delay().id
            wait_for(lambda: _worker_waits_for(held), f"the job to wait on group {held!r}, mid-run")
            assert JobRun.objects.get(task_id=task_id).status == JobStatus.RUNNING
            kill_group(first)
        # The lock is released: the dead worker's backend can only notice its client is gone and roll back.
    killed_at = timezone.now()

    written = set(Statistic.objects.values_list("group", flat=True))
    assert set(groups[: groups.index(held)]) <= written, "the groups before the lock were committed"
    assert not written & set(groups[groups.index(held):]), "nothing at or after the lock was written"
    assert JobRun.objects.get(task_id=task_id).status == JobStatus.RUNNING  # its worker never finished it

    with celery_worker(node_name("restarted"), **WORKER_ENV):
        wait_for(lambda: JobRun.objects.filter(task_id=task_id, status=JobStatus.SUCCESS).exists(),
                 "the redelivered job to finish on the restarted worker")

    runs = list(JobRun.objects.filter(task_id=task_id).order_by("pk").values_list("status", "error"))
    assert [status for status, _ in runs] == [JobStatus.FAILURE, JobStatus.SUCCESS]  # the same message, twice
    assert "Worker lost" in runs[0][1]
    assert _figures() == expected
    assert Statistic.objects.count() == len(expected)
    assert _duplicates() == []
    assert StatisticSnapshot.objects.filter(date=timezone.localdate()).count() == len(expected)
    states = StatisticGroup.objects.filter(group__in=groups)
    assert states.count() == len(groups)
    assert all(s.computed_at >= killed_at and not s.dirty for s in states), "every group redone after the restart"
