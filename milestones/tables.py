"""TrialTable: the trial list's columns (page only; the API serialises with ``TrialSerializer``).

Rendering needs the queryset of ``milestones.readpath.trial_queries.trial_list_queryset`` (registry ids, assets
and lead sponsor prefetched), or each row queries. Columns are not sortable: the list keeps the
model's order (newest start first), the one the FilterSet hands over.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from milestones.models import Trial
from milestones.readpath.trial_queries import dated, phases_label


class TrialTable(tables.Table):
    trial = tables.Column(empty_values=(), orderable=False, verbose_name="Trial")
    registry_ids = tables.Column(empty_values=(), orderable=False, verbose_name="Registry ids")
    phases = tables.Column(empty_values=(), orderable=False, verbose_name="Phases")
    overall_status = tables.Column(orderable=False, verbose_name="Status")
    lead_sponsor = tables.Column(empty_values=(), orderable=False, verbose_name="Lead sponsor")
    assets = tables.Column(empty_values=(), orderable=False, verbose_name="Assets")
    start = tables.Column(empty_values=(), orderable=False, verbose_name="Start")
    primary_completion = tables.Column(empty_values=(), orderable=False, verbose_name="Primary completion")

    class Meta:
        model = Trial
        fields = (
            "trial",
            "registry_ids",
            "phases",
            "overall_status",
            "lead_sponsor",
            "assets",
            "start",
            "primary_completion",
        )
        sequence = fields
        attrs = {"class": "data"}
        empty_text = "No trials match these filters."

    def render_trial(self, record: Trial) -> Any:
        title = record.title[:80] if record.acronym else ""
        return format_html(
            '<a href="{}">{}</a>{}',
            record.get_absolute_url(),
            str(record),
            format_html(' <span class="small muted">{}</span>', title) if title else "",
        )

    def render_registry_ids(self, record: Trial) -> Any:
        return format_html_join("; ", "{}", ((r.value,) for r in record.registry_ids.all()))

    def render_phases(self, record: Trial) -> str:
        return phases_label(record.phases)

    def render_lead_sponsor(self, record: Trial) -> Any:
        company = record.lead_sponsor
        if company is None:
            return "—"
        return format_html('<a href="{}">{}</a>', company.get_absolute_url(), company.name)

    def render_assets(self, record: Trial) -> Any:
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((a.get_absolute_url(), a.code) for a in record.assets.all())
        )

    def render_start(self, record: Trial) -> str:
        return dated(record.start, record.start_type)

    def render_primary_completion(self, record: Trial) -> str:
        return dated(record.primary_completion, record.primary_completion_type)
