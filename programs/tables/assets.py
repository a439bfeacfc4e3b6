"""AssetTable: the asset list's columns, each sortable, and the order each ``?sort=`` key gives.

The table declares the columns (header, sort expressions); the page and the export read their
order from ``asset_ordering``. The rows themselves are written by
``templates/jinja2/programs/asset_results.html`` from ``programs.views.assets.list_rows``:
rendering 500 cells through django-tables2 and Django templates cost more than the database did.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class SortColumn:
    name: str
    header: str
    order_by: tuple[str, ...]


#: The columns in page order with what each sorts by (read once from AssetTable's declaration).
COLUMNS: tuple[SortColumn, ...] = tuple(
    SortColumn(name, str(AssetTable.base_columns[name].verbose_name or name.replace("_", " ").capitalize()),
               tuple(AssetTable.base_columns[name].order_by or (name,)))
    for name in AssetTable._meta.sequence
)
_BY_NAME = {c.name: c for c in COLUMNS}


def asset_ordering(sort: str | None) -> tuple[str, tuple[str, ...]]:
    """The ``?sort=`` key honoured ("" when unknown or absent: then by code) and its ORDER BY terms.

    ``-name`` reverses every term, the tie-break on the code included, as django-tables2 does.
    """
    key = (sort or "").strip()
    column = _BY_NAME.get(key.lstrip("-"))
    if column is None:
        return "", ("code",)
    if key.startswith("-"):
        return key, tuple(f"-{term}" for term in column.order_by)
    return key, column.order_by


def with_sort_keys(qs: QuerySet[Asset], sort: str | None) -> QuerySet[Asset]:
    """``qs`` with the annotations ``?sort=`` needs when it names a computed column."""
    return annotate_sort_keys(qs) if (sort or "").strip().lstrip("-") in _COMPUTED_SORTS else qs


def sort_assets(qs: QuerySet[Asset], sort: str | None) -> QuerySet[Asset]:
    """``qs`` in the order the asset list shows for ``?sort=`` (unknown keys give the code order, as on the page)."""
    _, order_by = asset_ordering(sort)
    return with_sort_keys(qs, sort).order_by(*order_by)
