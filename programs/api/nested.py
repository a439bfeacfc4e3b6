"""The nested parts of an asset's API representation, fetched for a whole page at once as plain dicts.

``prefetch_related`` would build a model instance per nested row and a filtered queryset per asset
and relation (hundreds of ``QuerySet.filter()`` calls for a page of 100): that, not SQL, was most of
the list's time. Here each part is one ``.values()`` query keyed by asset id, six queries per page
whatever its size, and ``AssetSerializer`` reads the dicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber

from milestones.models import Milestone, RegulatoryStatus
from programs.dates import PreciseDate
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget

RECENT_MILESTONES = 3
ATTR = "_api_nested"


def _grouped(rows: Iterable[dict[str, Any]], ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    for row in rows:
        out[row.pop("asset_id")].append(row)
    return out


def attach(assets: list[Asset]) -> None:
    """Set ``asset._api_nested`` on each asset: designations, targets, payloads, indications, recent
    milestones, regulatory status. Hidden queries: six, whatever the number of assets (none for an empty list)."""
    ids = [a.pk for a in assets]
    if not ids:
        return
    designations = _grouped(
        AssetDesignation.objects.filter(asset_id__in=ids).order_by("asset_id", "kind", "name")
        .values("asset_id", "name", "kind"),
        ids,
    )
    targets = _grouped(
        AssetTarget.objects.filter(asset_id__in=ids).order_by("asset_id", "position")
        .values("asset_id", "position", symbol=F("target__symbol"), name=F("target__name")),
        ids,
    )
    payloads = _grouped(
        AssetPayload.objects.filter(asset_id__in=ids).order_by("asset_id", "position")
        .values("asset_id", "position", name=F("payload__name"), payload_class=F("payload__payload_class")),
        ids,
    )
    indications = _grouped(
        Asset.indications.through.objects.filter(asset_id__in=ids).order_by("asset_id", "indication__name")
        .values("asset_id", name=F("indication__name")),
        ids,
    )
    # The newest three per asset in SQL (a window over the asset's milestones), not all of them.
    recent = _grouped(
        Milestone.objects.filter(asset_id__in=ids)
        .annotate(rank=Window(RowNumber(), partition_by=F("asset_id"),
                              order_by=[F("date").desc(nulls_last=True), F("id").desc()]))
        .filter(Q(rank__lte=RECENT_MILESTONES))
        .order_by("asset_id", "rank")
        .values("asset_id", "id", "kind", "agency", "phase", "status", "date", "date_precision"),
        ids,
    )
    regulatory = _grouped(
        RegulatoryStatus.objects.filter(asset_id__in=ids).order_by("asset_id", "position")
        .values("asset_id", "agency", "state", "approval_type", "phase", "since", "since_precision",
                indication_name=F("indication__name")),
        ids,
    )
    for asset in assets:
        pk = asset.pk
        for m in recent[pk]:
            m["date"] = m["date"].isoformat() if m["date"] else None
        setattr(asset, ATTR, {
            "designations": designations[pk],
            "targets": targets[pk],
            "payloads": payloads[pk],
            "indications": [i["name"] for i in indications[pk]],
            "latest_milestones": recent[pk],
            "regulatory_status": [regulatory_row(r) for r in regulatory[pk]],
        })


def regulatory_row(r: dict[str, Any]) -> dict[str, Any]:
    """One ``regulatory_status`` object of the API: exactly these keys; dates at their precision."""
    return {
        "indication": r["indication_name"],
        "agency": r["agency"] or None,
        "state": r["state"],
        "approval_type": r["approval_type"] or None,
        "phase": r["phase"] or None,
        "since": PreciseDate(r["since"], r["since_precision"]).iso() or None,
    }


def nested(asset: Asset) -> dict[str, Any]:
    """The nested parts of one asset: attached by the list, fetched here for a single record
    (retrieve, create, update: five queries)."""
    if not hasattr(asset, ATTR):
        attach([asset])
    return getattr(asset, ATTR)  # type: ignore[no-any-return]


def forget(asset: Asset) -> None:
    """Drop attached parts after a write changed them."""
    if hasattr(asset, ATTR):
        delattr(asset, ATTR)
