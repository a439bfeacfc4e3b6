"""ExportLog: who exported which table, filtered how, when, in what format, and how many rows.

An export too large to build within the request (XLSX over ``ADCTRACK_XLSX_SYNC_MAX_ROWS``) is the
same record in state ``pending``: the Celery task fills ``file`` and ``rows`` and marks it ``done``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class ExportLog(models.Model):
    """One export of the deal or asset table (append-only audit record)."""

    class Table(models.TextChoices):
        DEALS = "deals", "Deals"
        ASSETS = "assets", "Assets"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="export_logs"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    table = models.CharField(max_length=10, choices=Table.choices)
    format = models.CharField(max_length=5, choices=Format.choices)
    query = models.TextField(blank=True, help_text="The filters and sort, as the list's query string.")
    via = models.CharField(max_length=10, default="page", help_text="page or api")
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Rows written (None until written).")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DONE)
    file = models.CharField(max_length=300, blank=True, help_text="Path under MEDIA_ROOT of a background export.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.table}.{self.format} ({self.rows} rows, {self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("programs:export_status", args=[self.pk])

    @property
    def filename(self) -> str:
        return f"adctrack-{self.table}-{self.created_at:%Y%m%d-%H%M%S}.{self.format}"
