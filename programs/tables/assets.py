"""AssetTable: the asset list's columns, each sortable.

The rows are written by ``templates/programs/_asset_table.html``, which reads the prefetched ``arms``,
``payload_links`` and ``latest_milestone`` (``programs.views.assets.asset_queryset``); the table drives
columns, sorting and paging.
"""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import OuterRef, QuerySet, Subquery

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


def annotate_sort_keys(qs: QuerySet[Asset]) -> QuerySet[Asset]:
    """Annotations the sortable computed columns order by (first target symbol, first payload class)."""
    first_target = AssetTarget.objects.filter(asset=OuterRef("pk")).order_by("position").values("target__symbol")[:1]
    first_payload = (
        AssetPayload.objects.filter(asset=OuterRef("pk")).order_by("position").values("payload__payload_class")[:1]
    )
    return qs.annotate(first_target=Subquery(first_target), first_payload_class=Subquery(first_payload))
