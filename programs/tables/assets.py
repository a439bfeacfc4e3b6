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
    # Every sort ends on the code (unique): ties keep one order, the same on the page and in the export.
    code = tables.Column(linkify=True, verbose_name="Code")
    inn = tables.Column(verbose_name="INN", default="", order_by=("inn", "code"))
    targets = tables.Column(empty_values=(), verbose_name="Targets", order_by=("first_target", "code"))
    originator = tables.Column(
        linkify=lambda record: record.originator.get_absolute_url(), order_by=("originator__name", "code")
    )
    antibody_format = tables.Column(verbose_name="Format", order_by=("antibody_format", "code"))
    conjugation_method = tables.Column(verbose_name="Conjugation", order_by=("conjugation_method", "code"))
    payload_class = tables.Column(
        empty_values=(), verbose_name="Payload class", order_by=("first_payload_class", "code")
    )
    highest_phase = tables.Column(verbose_name="Highest phase", order_by=("highest_phase_rank", "code"))
    latest_event = tables.Column(
        empty_values=(), verbose_name="Latest event", order_by=("latest_event_date", "code"),
        accessor="latest_milestone",
    )
    latest_event_date = tables.Column(verbose_name="Date", empty_values=(), order_by=("latest_event_date", "code"))

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


_COMPUTED_SORTS = {"targets", "payload_class"}


def with_sort_keys(qs: QuerySet[Asset], sort: str | None) -> QuerySet[Asset]:
    """``qs`` with the annotations ``?sort=`` needs when it names a computed column."""
    return annotate_sort_keys(qs) if (sort or "").lstrip("-") in _COMPUTED_SORTS else qs


def sort_assets(qs: QuerySet[Asset], sort: str | None) -> QuerySet[Asset]:
    """``qs`` in the order the asset list shows for ``?sort=`` (unknown keys are ignored, as on the page)."""
    if not sort:
        return qs
    return AssetTable(with_sort_keys(qs, sort), order_by=sort).data.data  # type: ignore[no-any-return]
