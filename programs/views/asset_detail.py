"""Asset page (``/assets/<slug>/``): structure, timeline, status by indication, clinical data, deals, history.

Query budget: one query per section whatever the number of milestones, events or deals.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.context_processors import PermWrapper
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from milestones.vocab import MilestoneStatus
from programs.history import recent_changes
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Deal,
    DealParty,
    DealTerms,
    TargetPair,
)
from programs.pagecache import Page, cached_page, render_page


def _ordered_milestones(asset: Asset) -> list[Milestone]:
    """Milestones in date order; an event with no stated date goes last (its position is unknown)."""
    rows = list(Milestone.objects.filter(asset=asset).select_related("source", "indication"))
    far = dt.date.max
    return sorted(rows, key=lambda m: (m.date or far, m.pk))


@require_safe
def asset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/assets/<slug>/: structure, timeline, status by indication, derived facts, clinical data, deals.

    The content is cached per data version, today's date (overdue plans) and permissions
    (``programs.pagecache``); a miss runs the bounded queries of ``_asset_context``.
    """
    today = timezone.localdate()

    def build() -> Page:
        context = _asset_context(slug, today)
        # Jinja2 (adctrack/jinja2.py says why); it runs no context processors, hence ``perms`` here.
        context["perms"] = PermWrapper(request.user)
        body = render_to_string("programs/asset_detail_body.html", context, request=request, using="jinja2")
        return {"title": context["asset"].code, "body": body}

    page = cached_page(request, "asset", (slug, today.isoformat()), build)
    return render_page(request, page)


def _asset_context(slug: str, today: dt.date) -> dict[str, Any]:
    """Everything the asset page shows: one query per section whatever the number of rows."""
    # Two joins, not seven: PostgreSQL spent more time planning the seven-way outer join (~3 ms) than
    # running it. The pair is one more indexed query when there is one; platforms are rare and
    # fetched on access (a null foreign key costs nothing).
    asset = get_object_or_404(Asset.objects.select_related("originator", "latest_milestone"), slug=slug)
    if asset.target_pair_id:
        asset.target_pair = TargetPair.objects.select_related("low", "high").get(pk=asset.target_pair_id)
    targets = list(AssetTarget.objects.filter(asset=asset).select_related("target"))
    payloads = list(AssetPayload.objects.filter(asset=asset).select_related("payload"))
    designations = list(AssetDesignation.objects.filter(asset=asset))
    milestones = _ordered_milestones(asset)
    status_rows = _status_by_indication(milestones)
    deals = _deals(asset)
    related = _related(asset, [t.target_id for t in targets])
    return {
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


def _deals(asset: Asset) -> list[dict[str, Any]]:
    """Each deal with its parties and terms: two queries for all deals, none when there are no deals.

    Grouped here rather than by ``prefetch_related``, whose machinery cost more than the two queries.
    """
    deals = list(Deal.objects.filter(assets=asset).select_related("source", "platform"))
    if not deals:
        return []
    ids = [d.pk for d in deals]
    parties: dict[int, list[DealParty]] = {pk: [] for pk in ids}
    for p in DealParty.objects.filter(deal_id__in=ids).select_related("company"):
        parties[p.deal_id].append(p)
    terms: dict[int, list[DealTerms]] = {pk: [] for pk in ids}
    for t in DealTerms.objects.filter(deal_id__in=ids).select_related("source"):
        terms[t.deal_id].append(t)
    return [{"deal": d, "parties": parties[d.pk], "terms": terms[d.pk]} for d in deals]


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
#: What a related asset's line shows (the rest of its ~40 columns, JSON included, is not read).
RELATED_FIELDS = ("code", "slug", "highest_phase", "highest_phase_rank", "originator__name", "originator__slug")


def _related(asset: Asset, target_ids: list[int]) -> list[Asset]:
    """Assets on the same pair, then on the same targets (newest first): two index-bounded id lookups.

    Ordering thousands of ERBB2 assets by phase would sort them all; walking the (target, asset)
    index backwards stops after a dozen.
    """
    ids: list[int] = []
    if asset.target_pair_id:
        ids += Asset.objects.filter(target_pair_id=asset.target_pair_id).exclude(pk=asset.pk).order_by(
            "-pk").values_list("pk", flat=True)[:RELATED]
    wanted = Q(pk__in=ids)
    if len(ids) < RELATED and target_ids:
        # A subquery, not a second round trip: PostgreSQL and SQLite both take LIMIT inside IN (...).
        wanted |= Q(pk__in=AssetTarget.objects.filter(target_id__in=target_ids).exclude(
            asset_id__in=[asset.pk, *ids]).order_by("-asset_id").values("asset_id")[: RELATED - len(ids)])
    rows = Asset.objects.filter(wanted).select_related("originator").only(*RELATED_FIELDS)
    return sorted(rows, key=lambda a: (-a.highest_phase_rank, a.code))
