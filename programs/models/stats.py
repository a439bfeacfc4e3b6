"""Pipeline statistics computed by Celery, the per-group dirty flags, daily snapshots and job records.

The dashboard reads only these tables (never the raw facts), so its query count does not grow with
the data. ``programs.derivation.stats`` fills them; ``programs.derivation.queue`` marks groups dirty after an edit.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Statistic(models.Model):
    """One figure: ``value`` of ``key`` within ``group`` (e.g. highest_phase / phase1 = 12 assets).

    ``records`` is the number of records the figure was counted from; ``meta`` carries what a page
    needs to show or link it (a label, a source URL) without touching the raw tables.
    """

    group = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    value = models.FloatField()
    records = models.PositiveIntegerField(default=0)
    meta = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "key"]
        constraints = [models.UniqueConstraint(fields=["group", "key"], name="statistic_unique_key")]

    def __str__(self) -> str:
        return f"{self.group}/{self.key} = {self.value:g} ({self.records} records)"


class StatisticSnapshot(models.Model):
    """The figure as it stood on ``date`` (the last computation of that day), for trend charts."""

    date = models.DateField()
    group = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    value = models.FloatField()
    records = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date", "group", "key"]
        constraints = [
            models.UniqueConstraint(fields=["date", "group", "key"], name="statistic_snapshot_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.group}/{self.key} = {self.value:g}"


class StatisticGroup(models.Model):
    """Freshness of one statistics group: dirty since an edit, computed when, last edited when.

    A group's figures are stale while ``dirty`` is set or ``computed_at`` is older than
    ``last_edit_at``. ``dirty`` flips False -> True once per burst of edits; only that flip enqueues a
    recompute, and the task clears the flag before computing, so a later edit enqueues again.
    """

    group = models.CharField(max_length=40, unique=True)
    dirty = models.BooleanField(default=True, db_index=True)
    dirty_since = models.DateTimeField(null=True, blank=True)
    last_edit_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group"]

    def __str__(self) -> str:
        return self.group

    @property
    def is_stale(self) -> bool:
        if self.dirty or self.computed_at is None:
            return True
        return self.last_edit_at is not None and self.computed_at < self.last_edit_at

    @property
    def stale_since(self):  # type: ignore[no-untyped-def]
        """When the figures stopped reflecting the data (the first edit they do not include)."""
        if not self.is_stale:
            return None
        return self.dirty_since or self.last_edit_at


class JobStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCESS = "success", "Succeeded"
    RETRY = "retry", "Failed, will retry"
    FAILURE = "failure", "Failed"


class JobRun(models.Model):
    """One run of a Celery task: what, with which arguments, when, how it ended, rows touched."""

    task_name = models.CharField(max_length=200, db_index=True)
    task_id = models.CharField(max_length=100, blank=True)
    args = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.RUNNING)
    error = models.TextField(blank=True)
    rows = models.PositiveIntegerField(default=0, help_text="Rows written.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.task_name} {self.started_at:%Y-%m-%d %H:%M:%S} {self.status}"

    @property
    def duration_ms(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds() * 1000
