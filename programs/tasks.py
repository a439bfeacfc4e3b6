"""Celery tasks: derived facts and statistics, the ClinicalTrials.gov sync, and background XLSX exports.

Every run is recorded in ``JobRun`` (the exports in ``ExportLog``).

All tasks are idempotent (they recompute from the data, never increment) and run with
``acks_late`` (settings), so a task lost with its worker is delivered again and does no harm. A
database error retries with exponential backoff.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, shared_task
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from programs import jobs
from programs.derivation import summaries
from programs.derivation.derived import recompute_asset_changes
from programs.derivation.queue import SWEEP_BATCH, stats_changed
from programs.derivation.stats.compute import recompute_all, recompute_groups
from programs.io.ctgov_sync import sync_trials
from programs.io.export.service import build_xlsx_file, export_path
from programs.models import Asset, ExportLog, JobRun, JobStatus, StatisticGroup
from programs.readpath import data_version
from programs.readpath.facets import WARM_FLAG, warm_plain_list

log = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}
JOB_RUNS_KEPT_DAYS = 30

#: Derived field -> statistics groups that read it.
FIELD_GROUPS: dict[str, tuple[str, ...]] = {
    "highest_phase": ("highest_phase", "conjugation_by_phase", "site_specific_share"),
    "current_phase": (),
    "target_pair_id": ("target_pair",),
    "ind_to_dosing_days": ("ind_to_dosing",),
}


class _Run:
    """What a task body reports to ``job_run``: rows written, and (optionally) when it finished."""

    def __init__(self, write: Callable[..., None]) -> None:
        self.rows = 0
        self.recorded = False
        self._write = write

    def finish(self) -> None:
        """Write the successful run's record now, inside the body's transaction (rolled back with it)."""
        self._write(finished_at=timezone.now(), status=JobStatus.SUCCESS, rows=self.rows)
        self.recorded = True


@contextmanager
def job_run(task: Task, args: list[Any], *, record_start: bool = True) -> Iterator[_Run]:
    """Record one run of ``task``: a row at start, updated at the end with status, error and rows.

    ``record_start=False`` (short tasks): no row while running; the body writes the finished row with
    ``run.finish()`` inside its own transaction, so a successful run costs one commit instead of three.
    A failure is still recorded (after the body's rollback), and so is a run whose body never calls
    ``finish``.
    """
    if task.request.id and (task.request.delivery_info or {}).get("redelivered"):
        # An earlier delivery of this very task died with its worker (SIGKILL, OOM, a lost host) and
        # never finished its row: say so, rather than leave it "running" forever on /jobs/.
        JobRun.objects.filter(task_id=task.request.id, status=JobStatus.RUNNING).update(
            finished_at=timezone.now(), status=JobStatus.FAILURE,
            error="Worker lost during the run; the task was delivered again.",
        )
    fields = {"task_name": task.name, "task_id": task.request.id or "", "args": args, "started_at": timezone.now()}
    record = JobRun.objects.create(**fields) if record_start else None

    def write(**outcome: Any) -> None:
        if record is not None:
            JobRun.objects.filter(pk=record.pk).update(**outcome)
        else:
            JobRun.objects.create(**fields, **outcome)

    run = _Run(write)
    try:
        yield run
    except Exception as exc:
        will_retry = isinstance(exc, DatabaseError) and task.request.retries < RETRY["max_retries"]
        write(finished_at=timezone.now(), status=JobStatus.RETRY if will_retry else JobStatus.FAILURE,
              error="".join(traceback.format_exception(exc))[-4000:], rows=run.rows)
        raise
    if not run.recorded:
        write(finished_at=timezone.now(), status=JobStatus.SUCCESS, rows=run.rows)


def _recompute_one(asset_id: int, groups: set[str] | None = None) -> int:
    """One asset's derived facts; the statistics groups its change touches are marked edited in the
    same transaction (the queued statistics task is sent when it commits), or, when ``groups`` is
    given, added to it for the caller to mark once for a whole batch."""
    changed = recompute_asset_changes(asset_id)
    touched = {g for field in changed or () for g in FIELD_GROUPS[field]}
    if groups is not None:
        groups |= touched
    elif touched:
        stats_changed(touched)
    return 0 if changed is None else 1


@jobs.provide("recompute_asset")
@shared_task(bind=True, name="programs.recompute_asset", **RETRY)
def recompute_asset(self: Task, asset_id: int) -> int:
    """Recompute one asset's derived facts, then queue the statistics groups whose inputs changed.

    The run's record is written in the same transaction: with the row lock, the reads and the UPDATE,
    six or seven round trips and one commit, which is what the task costs on a busy database.
    """
    with job_run(self, [asset_id], record_start=False) as run, transaction.atomic():
        run.rows = _recompute_one(asset_id)
        run.finish()
    return run.rows


@jobs.provide("recompute_assets")
@shared_task(bind=True, name="programs.recompute_assets", **RETRY)
def recompute_assets(self: Task, asset_ids: list[int]) -> int:
    """Recompute a batch of assets (the sweeper's and bulk writes' unit of work).

    The statistics groups are marked once for the batch: marking them per asset would queue a
    statistics run per asset whenever the previous run finished in between (always, when eager).
    """
    groups: set[str] = set()
    with job_run(self, [len(asset_ids)]) as run:
        for asset_id in asset_ids:
            run.rows += _recompute_one(asset_id, groups)
        if groups:
            stats_changed(groups)
    return run.rows


@jobs.provide("recompute_stats")
@shared_task(bind=True, name="programs.recompute_stats", **RETRY)
def recompute_stats(self: Task, groups: list[str]) -> int:
    """Recompute the named statistics groups, one transaction each."""
    with job_run(self, [sorted(groups)]) as run:
        run.rows = recompute_groups(groups)
    return run.rows


@jobs.provide("recompute_all_stats")
@shared_task(bind=True, name="programs.recompute_all_stats", **RETRY)
def recompute_all_stats(self: Task) -> int:
    """Every statistics group from scratch (beat, nightly; ``manage.py recompute_stats``).

    Also prunes job records older than ``JOB_RUNS_KEPT_DAYS`` (the sweeper alone adds 1,440 a day).
    """
    with job_run(self, []) as run:
        run.rows = recompute_all()
        JobRun.objects.filter(started_at__lt=timezone.now() - dt.timedelta(days=JOB_RUNS_KEPT_DAYS)).delete()
    return run.rows


@jobs.provide("sweep_dirty")
@shared_task(bind=True, name="programs.sweep_dirty", **RETRY)
def sweep_dirty(self: Task) -> int:
    """Queue whatever is still dirty: assets and groups whose enqueue failed (broker down) or was lost.

    Runs every minute under beat. Duplicates with a task already queued are harmless (idempotent).
    Anything left dirty may be an edit made while Redis was away, whose move of the data version was
    lost with it (a web process that saw Redis come back moved it, but one that sat idle since did
    not): the version is moved too, so no cached page from before such an edit outlives this sweep.
    """
    with job_run(self, []) as run:
        ids = list(Asset.objects.filter(derived_dirty=True).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
        if ids and jobs.send(recompute_assets, ids):
            run.rows += len(ids)
        groups = list(StatisticGroup.objects.filter(dirty=True).values_list("group", flat=True))
        if groups and jobs.send(recompute_stats, groups):
            run.rows += len(groups)
        summaries_dirty = summaries.dirty_left()
        if summaries_dirty and jobs.send(recompute_summaries):
            run.rows += 1
        if ids or groups or summaries_dirty:
            data_version.bump()
    return run.rows


class CtgovSyncFailed(Exception):
    """Some trials could not be refreshed; the message lists them (the run's ``JobRun.error``)."""


@jobs.provide("sync_ctgov")
@shared_task(bind=True, name="programs.sync_ctgov", **RETRY)
def sync_ctgov(self: Task, nct_ids: list[str] | None = None) -> int:
    """Refresh tracked trials from ClinicalTrials.gov (all, or those of ``nct_ids``); beat runs it weekly.

    Idempotent: a trial whose record says nothing new is left as it is (only ``synced_at`` moves), and a
    rerun re-reads the same records. Least recently synced trials go first, and no trial is started once
    80 % of the soft time limit is spent, so a large registry is covered over consecutive runs. A run in
    which any trial failed is recorded as failed, with every failed trial and its reason; the others are
    written all the same (one transaction each). Returns the trials refreshed.
    """
    import time

    from django.conf import settings

    with job_run(self, [sorted(nct_ids)] if nct_ids else []) as run:
        deadline = time.monotonic() + 0.8 * settings.CELERY_TASK_SOFT_TIME_LIMIT
        report = sync_trials(nct_ids, deadline=deadline)
        run.rows = report.count("refreshed")
        log.info("ClinicalTrials.gov sync: %s", report.summary())
        if report.failures:
            lines = "\n".join(f"{r.nct_id}: {r.message}" for r in report.failures)
            raise CtgovSyncFailed(f"{report.summary()}.\n{lines}")
    return run.rows


@jobs.provide("recompute_summaries")
@shared_task(bind=True, name="programs.recompute_summaries", **RETRY)
def recompute_summaries(self: Task) -> int:
    """Recount the dirty target and company summaries (``programs.derivation.summaries``); queue another run
    while some are left (more than one batch was marked)."""
    with job_run(self, [], record_start=False) as run, transaction.atomic():
        run.rows = summaries.recompute_dirty()
        run.finish()
        if run.rows and summaries.dirty_left():
            jobs.send_on_commit(recompute_summaries)
    return run.rows


@jobs.provide("warm_asset_facets")
@shared_task(name="programs.warm_asset_facets", acks_late=True, ignore_result=True)
def warm_asset_facets() -> int | None:
    """Count the plain asset list's facets for the current data version (``programs.readpath.facets.warm_plain_list``).

    Not recorded in ``JobRun``: it runs after every burst of edits and writes only the cache.
    Idempotent: a second run for the same version reads the counts back.
    """
    cache.delete(WARM_FLAG)  # first: an edit made while this counts queues one more run
    return warm_plain_list()


@jobs.provide("build_export")
@shared_task(acks_late=True)
def build_export(log_id: int) -> int:
    """Build a background XLSX export under MEDIA_ROOT/exports/ and mark its ExportLog done.

    Runs the same filters as the page (the log keeps the query string), so the file holds exactly
    the rows the list held when the user asked. Returns the rows written.
    """
    log = ExportLog.objects.select_related("user").get(pk=log_id)
    path = export_path(log)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    try:
        count = build_xlsx_file(log, str(partial))
        partial.replace(path)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        ExportLog.objects.filter(pk=log_id).update(
            state=ExportLog.State.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    ExportLog.objects.filter(pk=log_id).update(
        state=ExportLog.State.DONE, rows=count, file=str(path.relative_to(path.parent.parent)),
        finished_at=timezone.now(),
    )
    return count
