"""Asset list (faceted, searchable, sortable) and asset page.

Query budget: the list runs a fixed number of queries (count, page, two prefetches, facets); the
asset page runs one query per section whatever the number of milestones, events or deals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from milestones.vocab import MilestoneStatus
from programs.facets import compute_facets
from programs.filters import AssetFilterSet
from programs.history import recent_changes
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Deal, DealParty, DealTerms
from programs.tables import AssetTable
from programs.tables.assets import annotate_sort_keys

PER_PAGE = 50
COMPUTED_SORTS = {"targets", "-targets", "payload_class", "-payload_class"}


def asset_queryset() -> QuerySet[Asset]:
    """Assets with everything a list row renders, fetched in three queries per page."""
    return Asset.objects.select_related("originator", "latest_milestone").prefetch_related(
        Prefetch("asset_targets", queryset=AssetTarget.objects.select_related("target").order_by("position")),
        Prefetch("asset_payloads", queryset=AssetPayload.objects.select_related("payload").order_by("position")),
    )


@require_safe
def asset_list(request: HttpRequest) -> HttpResponse:
    """/assets/: the filtered, faceted, sortable table. Unknown filter values are reported, not fatal."""
    fs = AssetFilterSet(request.GET, queryset=asset_queryset(), request=request)
    qs = fs.qs
    if request.GET.get("sort") in COMPUTED_SORTS:
        qs = annotate_sort_keys(qs)
    table = AssetTable(qs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    facets = compute_facets(fs, Asset.objects.all(), request.GET)
    problems = [f"{fs.filters[name].label}: {' '.join(errs)}" for name, errs in fs.form.errors.items()]
    context = {"table": table, "filter": fs, "facets": facets, "problems": problems,
               "query": request.GET.get("q", ""), "active": fs.active}
    template = "programs/_asset_results.html" if request.htmx else "programs/asset_list.html"
    return render(request, template, context)


def _ordered_milestones(asset: Asset) -> list[Milestone]:
    """Milestones in date order; an event with no stated date goes last (its position is unknown)."""
    rows = list(Milestone.objects.filter(asset=asset).select_related("source", "indication"))
    far = dt.date.max
    return sorted(rows, key=lambda m: (m.date or far, m.pk))


@require_safe
def asset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/assets/<slug>/: structure, timeline, status by indication, derived facts, clinical data, deals."""
    asset = get_object_or_404(
        Asset.objects.select_related(
            "originator", "target_pair__low", "target_pair__high", "masking_platform", "conjugation_platform",
            "latest_milestone",
        ),
        slug=slug,
    )
    targets = list(AssetTarget.objects.filter(asset=asset).select_related("target", "target__parent"))
    payloads = list(AssetPayload.objects.filter(asset=asset).select_related("payload"))
    designations = list(AssetDesignation.objects.filter(asset=asset))
    milestones = _ordered_milestones(asset)
    today = timezone.localdate()
    status_rows = _status_by_indication(milestones)
    deals = list(
        Deal.objects.filter(assets=asset).select_related("source", "platform").prefetch_related(
            Prefetch("deal_parties", queryset=DealParty.objects.select_related("company")),
            Prefetch("terms", queryset=DealTerms.objects.select_related("source")),
        )
    )
    related = _related(asset, [t.target_id for t in targets])
    context: dict[str, Any] = {
        "asset": asset,
        "targets": targets,
        "payloads": payloads,
        "designations": designations,
        "milestones": milestones,
        "overdue": [m for m in milestones if m.is_overdue(today)],
        "today": today,
        "status_rows": status_rows,
        "first_ind": sorted((asset.first_ind or {}).items()),
        "safety_events": list(SafetyEvent.objects.filter(asset=asset).select_related("source")),
        "safety_measures": list(SafetyMeasure.objects.filter(asset=asset).select_related("source")),
        "efficacy": list(EfficacyReadout.objects.filter(asset=asset).select_related("source", "indication")),
        "deals": deals,
        "sources": list(asset.sources.all()),
        "related": related,
        "changes": recent_changes(asset),
    }
    return render(request, "programs/asset_detail.html", context)


def _status_by_indication(milestones: list[Milestone]) -> list[dict[str, Any]]:
    """Latest occurred event per (indication, agency): where the asset stands in each market."""
    latest: dict[tuple[str, str], Milestone] = {}
    for m in milestones:
        if m.status != MilestoneStatus.OCCURRED:
            continue
        key = (m.indication.name if m.indication else "All / not stated", m.agency or "—")
        latest[key] = m
    return [{"indication": k[0], "agency": k[1], "milestone": m} for k, m in sorted(latest.items())]


RELATED = 12


def _related(asset: Asset, target_ids: list[int]) -> list[Asset]:
    """Assets on the same pair, then on the same targets (newest first): two index-bounded id lookups.

    Ordering thousands of ERBB2 assets by phase would sort them all; walking the (target, asset)
    index backwards stops after a dozen.
    """
    ids: list[int] = []
    if asset.target_pair_id:
        ids += Asset.objects.filter(target_pair_id=asset.target_pair_id).exclude(pk=asset.pk).order_by(
            "-pk").values_list("pk", flat=True)[:RELATED]
    if len(ids) < RELATED and target_ids:
        ids += AssetTarget.objects.filter(target_id__in=target_ids).exclude(asset_id__in=[asset.pk, *ids]).order_by(
            "-asset_id").values_list("asset_id", flat=True)[: RELATED - len(ids)]
    rows = Asset.objects.filter(pk__in=ids).select_related("originator")
    return sorted(rows, key=lambda a: (-a.highest_phase_rank, a.code))
