"""Per-target and per-company aggregates the directory pages read instead of recounting assets.

``TargetSummary`` and ``CompanySummary`` hold counts over assets (by phase, by partner target, by
originator) so the target and company pages and lists cost the same at 100 or 100,000 assets. They
are derived data, like the asset's derived columns: never edited, no history, recomputed from the raw
tables by ``programs.derivation.summaries`` (after the derived recompute marks them dirty, and in full by
``manage.py rebuild_summaries``). They must not be the only record of anything.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class TargetSummary(models.Model):
    """Counts over the assets on one target, as the target page and list show them."""

    target = models.OneToOneField("programs.Target", on_delete=models.CASCADE, primary_key=True, related_name="summary")
    #: Asset-target links (an asset binding the target twice counts twice), as the target list shows.
    n_links = models.PositiveIntegerField(default=0)
    #: Distinct assets on the target.
    n_assets = models.PositiveIntegerField(default=0)
    #: Highest phase -> distinct assets.
    by_phase = models.JSONField(default=dict)
    #: ``[[target pair id, assets], ...]`` for the pairs this target is one side of.
    partners = models.JSONField(default=list)
    #: Set when an edit may have changed the counts; cleared by the recompute that follows.
    dirty = models.BooleanField(default=True, db_index=True)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"summary of target {self.target_id}: {self.n_assets} assets"

    def partners_by_pair(self) -> list[tuple[int, int]]:
        """``(target pair id, assets)`` for each pair the target is one side of."""
        return [(int(pair_id), int(n)) for pair_id, n in self.partners]


class CompanySummary(models.Model):
    """Counts over the assets one company originated, as the company page and list show them."""

    company = models.OneToOneField(
        "programs.Company", on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    n_assets = models.PositiveIntegerField(default=0)
    dirty = models.BooleanField(default=True, db_index=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "company summaries"
        indexes = [models.Index(fields=["-n_assets"], name="company_summary_assets_idx")]

    def __str__(self) -> str:
        return f"summary of company {self.company_id}: {self.n_assets} assets"
