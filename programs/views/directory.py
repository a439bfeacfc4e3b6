"""Company and target lists and pages.

Counts come from correlated subqueries (no GROUP BY over joins), so each list is one page query plus
a count and a prefetch; each page runs a fixed number of queries whatever its asset count.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from programs.models import Asset, AssetTarget, Company, Deal, DealParty, Target
from programs.views.assets import asset_queryset
from programs.vocab import Phase

LIST_SIZE = 50
SHOWN_ASSETS = 100


def _count(qs: QuerySet[Any], column: str) -> Coalesce:
    """A correlated COUNT subquery (``qs`` filtered on OuterRef) as an integer annotation."""
    sub = qs.order_by().values(column).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _page(request: HttpRequest, qs: QuerySet[Any], per_page: int = LIST_SIZE) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


COMPANY_SORTS = {"name": "name", "-name": "-name", "assets": "-n_assets", "deals": "-n_deals", "country": "country"}
TARGET_SORTS = {"symbol": "symbol", "-symbol": "-symbol", "assets": "-n_assets"}


@require_safe
def company_list(request: HttpRequest) -> HttpResponse:
    """/companies/: every company with its originated-asset and deal counts."""
    qs = Company.objects.annotate(
        n_assets=_count(Asset.objects.filter(originator=OuterRef("pk")), "originator"),
        n_deals=_count(DealParty.objects.filter(company=OuterRef("pk")), "company"),
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
    sort = request.GET.get("sort", "name")
    qs = qs.order_by(COMPANY_SORTS.get(sort, "name"), "name")
    return render(request, "programs/company_list.html", {"page": _page(request, qs), "sort": sort, "q": q})


@require_safe
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/companies/<slug>/: pipeline as originator and as deal partner, deals by role, platforms, aliases."""
    company = get_object_or_404(Company, slug=slug)
    originated = asset_queryset().filter(originator=company).order_by("-highest_phase_rank", "code")
    partnered = (
        asset_queryset()
        .filter(pk__in=Deal.assets.through.objects.filter(deal__deal_parties__company=company).values("asset_id"))
        .exclude(originator=company)
        .order_by("-highest_phase_rank", "code")
    )
    parties = list(
        DealParty.objects.filter(company=company).select_related("deal", "deal__source").prefetch_related(
            Prefetch("deal__deal_parties", queryset=DealParty.objects.select_related("company"))
        ).order_by("role", "-deal__announced_on")
    )
    by_role: dict[str, list[DealParty]] = {}
    for p in parties:
        by_role.setdefault(p.get_role_display(), []).append(p)
    context = {
        "company": company,
        "originated": list(originated[:SHOWN_ASSETS]),
        "originated_count": originated.count(),
        "partnered": list(partnered[:SHOWN_ASSETS]),
        "deals_by_role": sorted(by_role.items()),
        "platforms": list(company.platforms.all()),
        "aliases": list(company.aliases.all()),
    }
    return render(request, "programs/company_detail.html", context)


@require_safe
def target_list(request: HttpRequest) -> HttpResponse:
    """/targets/: every target with its asset count."""
    qs = Target.objects.select_related("parent").prefetch_related("aliases").annotate(
        n_assets=_count(AssetTarget.objects.filter(target=OuterRef("pk")), "target")
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(symbol__icontains=q) | Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
    sort = request.GET.get("sort", "symbol")
    qs = qs.order_by(TARGET_SORTS.get(sort, "symbol"), "symbol")
    return render(request, "programs/target_list.html", {"page": _page(request, qs, 100), "sort": sort, "q": q})


@require_safe
def target_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/targets/<slug>/: assets on the target, partner targets with counts, phase spread, aliases, isoforms."""
    target = get_object_or_404(Target.objects.select_related("parent"), slug=slug)
    on_target = AssetTarget.objects.filter(target=target).values("asset_id")
    assets = asset_queryset().filter(pk__in=on_target).order_by("-highest_phase_rank", "code")
    partners: dict[str, dict[str, Any]] = {}
    rows = (
        Asset.objects.filter(target_pair__isnull=False)
        .filter(Q(target_pair__low=target) | Q(target_pair__high=target))
        .order_by().values("target_pair__low__symbol", "target_pair__low__slug", "target_pair__high__symbol",
                           "target_pair__high__slug").annotate(n=Count("pk"))
    )
    for r in rows:
        low = (r["target_pair__low__symbol"], r["target_pair__low__slug"])
        high = (r["target_pair__high__symbol"], r["target_pair__high__slug"])
        other = high if low[0] == target.symbol else low
        pair_key = "-".join(sorted([low[0], high[0]]))
        partners[other[0]] = {"symbol": other[0], "slug": other[1], "n": r["n"], "pair": pair_key}
    phase_counts = dict(assets.order_by().values_list("highest_phase").annotate(n=Count("pk")))
    spread = [(label, phase_counts.get(value, 0), value) for value, label in Phase.choices if phase_counts.get(value)]
    total = assets.count()
    context = {
        "target": target,
        "assets": list(assets[:SHOWN_ASSETS]),
        "total": total,
        "partners": sorted(partners.values(), key=lambda p: (-p["n"], p["symbol"])),
        "spread": spread,
        "max_spread": max((n for _, n, _ in spread), default=1),
        "aliases": list(target.aliases.all()),
        "isoforms": list(target.isoforms.all()),
    }
    return render(request, "programs/target_detail.html", context)
