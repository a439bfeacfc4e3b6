"""AssetTable: the asset list's columns, each sortable.

Rendering reads ``asset_targets`` and ``asset_payloads`` and ``latest_milestone``: the queryset
must prefetch/select them (``programs.views.assets.asset_queryset`` does) or each row costs queries.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.html import format_html, format_html_join

from programs.models import Asset, AssetPayload, AssetTarget


class AssetTable(tables.Table):
    code = tables.Column(linkify=True, verbose_name="Code")
    inn = tables.Column(verbose_name="INN", default="")
    targets = tables.Column(empty_values=(), verbose_name="Targets", order_by=("first_target",))
    originator = tables.Column(
        linkify=lambda record: record.originator.get_absolute_url(), order_by=("originator__name",)
    )
    antibody_format = tables.Column(verbose_name="Format")
    conjugation_method = tables.Column(verbose_name="Conjugation")
    payload_class = tables.Column(empty_values=(), verbose_name="Payload class", order_by=("first_payload_class",))
    highest_phase = tables.Column(verbose_name="Highest phase", order_by=("highest_phase_rank",))
    latest_event = tables.Column(
        empty_values=(), verbose_name="Latest event", order_by=("latest_event_date",), accessor="latest_milestone"
    )
    latest_event_date = tables.Column(verbose_name="Date", empty_values=())

    class Meta:
        model = Asset
        fields = ()
        sequence = (
            "code", "inn", "targets", "originator", "antibody_format", "conjugation_method", "payload_class",
            "highest_phase", "latest_event", "latest_event_date",
        )
        attrs = {"class": "data"}
        empty_text = "No asset matches these filters."
        template_name = "django_tables2/table.html"

    def render_targets(self, record: Asset) -> str:
        return format_html_join(
            " × ", '<a href="{}">{}</a>',
            ((at.target.get_absolute_url(), at.target.symbol) for at in record.asset_targets.all()),
        )

    def render_payload_class(self, record: Asset) -> str:
        labels = dict.fromkeys(ap.payload.get_payload_class_display() for ap in record.asset_payloads.all())
        return format_html_join("; ", "{}", ((label,) for label in labels))

    def render_latest_event(self, value: Any, record: Asset) -> str:
        m = record.latest_milestone
        return format_html('<a href="{}">{}</a>', m.get_absolute_url(), m.label) if m else "—"

    def render_latest_event_date(self, record: Asset) -> str:
        m = record.latest_milestone
        return str(m.when) if m else "—"


def annotate_sort_keys(qs: QuerySet[Asset]) -> QuerySet[Asset]:
    """Annotations the sortable computed columns order by (first target symbol, first payload class)."""
    first_target = AssetTarget.objects.filter(asset=OuterRef("pk")).order_by("position").values("target__symbol")[:1]
    first_payload = (
        AssetPayload.objects.filter(asset=OuterRef("pk")).order_by("position").values("payload__payload_class")[:1]
    )
    return qs.annotate(first_target=Subquery(first_target), first_payload_class=Subquery(first_payload))
