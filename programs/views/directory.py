"""Company and target lists and pages.

Asset counts come from the summaries (``programs.derivation.summaries``: per target and per company, kept by
the derived recompute), deal counts from a correlated subquery, so each list is one page query plus
a count and a prefetch, and a target page never groups its assets; each page runs a fixed number of
queries whatever its asset count. The content is cached under the data version
(``programs.readpath.pagecache.cached_template``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from programs.derivation.summaries import target_summary
from programs.models import Asset, Company, Deal, DealParty, DealTerms, Target, TargetPair
from programs.models.deals import roles_by_party
from programs.readpath.pagecache import cached_template
from programs.views.assets import asset_queryset
from programs.vocab import Phase

LIST_SIZE = 50
SHOWN_ASSETS = 100


def _count(qs: QuerySet[Any], column: str) -> Coalesce:
    """A correlated COUNT subquery (``qs`` filtered on OuterRef) as an integer annotation."""
    sub = qs.order_by().values(column).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _summarized(field: str, qs: QuerySet[Any], column: str) -> Case:
    """The count from the row's summary; counted (``_count``) where it has none or it is being recounted,
    so a list is exact while a recount is queued and costs one subquery per such row only."""
    return Case(When(summary__dirty=False, then=F(f"summary__{field}")), default=_count(qs, column),
                output_field=IntegerField())


def _page(request: HttpRequest, qs: QuerySet[Any], per_page: int = LIST_SIZE) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


COMPANY_SORTS = {"name": "name", "-name": "-name", "assets": "-n_assets", "deals": "-n_deals", "country": "country"}
TARGET_SORTS = {"symbol": "symbol", "-symbol": "-symbol", "assets": "-n_assets"}


@require_safe
def company_list(request: HttpRequest) -> HttpResponse:
    """/companies/: every company with its originated-asset and deal counts."""
    def build() -> tuple[str, dict[str, Any]]:
        qs = Company.objects.annotate(
            n_assets=_summarized("n_assets", Asset.objects.filter(originator=OuterRef("pk")), "originator"),
            n_deals=_count(DealParty.objects.filter(company=OuterRef("pk")), "company"),
        )
        q = request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
        sort = request.GET.get("sort", "name")
        qs = qs.order_by(COMPANY_SORTS.get(sort, "name"), "name")
        return "Companies", {"page": _page(request, qs), "sort": sort, "q": q}

    return cached_template(request, "company-list", (), "programs/company_list_body.html", build)


@require_safe
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/companies/<slug>/: pipeline as originator and as deal partner, deals by role, platforms, aliases."""
    return cached_template(request, "company", (slug,), "programs/company_detail_body.html",
                           lambda: _company_context(slug))


def _company_context(slug: str) -> tuple[str, dict[str, Any]]:
    company = get_object_or_404(Company.objects.select_related("summary"), slug=slug)
    originated = asset_queryset().filter(originator=company).order_by("-highest_phase_rank", "code")
    partnered = (
        asset_queryset()
        .filter(pk__in=Deal.assets.through.objects.filter(deal__deal_parties__company=company).values("asset_id"))
        .exclude(originator=company)
        .order_by("-highest_phase_rank", "code")
    )
    context = {
        "company": company,
        "originated": list(originated[:SHOWN_ASSETS]),
        "originated_count": _originated_count(company, originated),
        "partnered": list(partnered[:SHOWN_ASSETS]),
        "deals": company_deals(company),
        "platforms": list(company.platforms.all()),
        "aliases": list(company.aliases.all()),
    }
    return company.name, context


@dataclass
class CompanyDeal:
    """One deal on a company page: the company's roles in it, the other parties with theirs, and the
    standing money in millions of USD (None: undisclosed)."""

    deal: Deal
    roles: list[str]
    counterparties: list[tuple[Company, list[str]]]
    total_usd: Decimal | None
    upfront_usd: Decimal | None


def company_deals(company: Company) -> list[CompanyDeal]:
    """Each deal of ``company`` once (a company holding two roles in a deal is one row), newest first,
    undated last; three queries whatever the number of deals."""
    deals = (
        Deal.objects.filter(pk__in=DealParty.objects.filter(company=company).values("deal_id"))
        .prefetch_related(
            Prefetch("deal_parties", queryset=DealParty.objects.select_related("company").order_by("id")),
            Prefetch("terms", queryset=DealTerms.objects.filter(stands=True), to_attr="standing"),
        )
        .order_by(F("announced_on").desc(nulls_last=True), "title", "pk")
    )
    out = []
    for deal in deals:
        roles = roles_by_party(deal.deal_parties.all())
        own = roles.pop(company, [])
        terms = deal.standing[0] if deal.standing else None  # type: ignore[attr-defined]
        out.append(CompanyDeal(deal, own, list(roles.items()), terms.usd_total if terms else None,
                               terms.usd("upfront") if terms else None))
    return out


def _originated_count(company: Company, originated: QuerySet[Asset]) -> int:
    """From the company's summary; counted when it has none yet (a company created since the last run)."""
    summary = getattr(company, "summary", None)
    return summary.n_assets if summary is not None and not summary.dirty else originated.count()


@require_safe
def target_list(request: HttpRequest) -> HttpResponse:
    """/targets/: every target with its asset count."""
    def build() -> tuple[str, dict[str, Any]]:
        qs = Target.objects.select_related("parent").prefetch_related("aliases").annotate(
            n_assets=_summarized("n_links", Asset.targets.through.objects.filter(target=OuterRef("pk")), "target")
        )
        q = request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(symbol__icontains=q) | Q(name__icontains=q) | Q(aliases__name__icontains=q)).distinct()
        sort = request.GET.get("sort", "symbol")
        qs = qs.order_by(TARGET_SORTS.get(sort, "symbol"), "symbol")
        return "Targets", {"page": _page(request, qs, 100), "sort": sort, "q": q}

    return cached_template(request, "target-list", (), "programs/target_list_body.html", build)


@require_safe
def target_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/targets/<slug>/: assets on the target, partner targets with counts, phase spread, aliases, isoforms."""
    return cached_template(request, "target", (slug,), "programs/target_detail_body.html",
                           lambda: _target_context(slug))


def _target_context(slug: str) -> tuple[str, dict[str, Any]]:
    """The counts from the target's summary (``programs.derivation.summaries``): no GROUP BY over its assets."""
    target = get_object_or_404(Target.objects.select_related("parent", "summary"), slug=slug)
    on_target = Asset.targets.through.objects.filter(target=target).values("asset_id")
    assets = asset_queryset().filter(pk__in=on_target).order_by("-highest_phase_rank", "code")
    summary = getattr(target, "summary", None)
    if summary is None or summary.dirty:  # none yet, or an edit is being counted: count it now
        summary = target_summary(target.pk)
    partners: dict[str, dict[str, Any]] = {}
    counts = dict(summary.partners_by_pair())
    for pair in TargetPair.objects.filter(pk__in=counts).select_related("low", "high"):
        low, high = pair.low, pair.high
        other = high if low.symbol == target.symbol else low
        pair_key = "-".join(sorted([low.symbol, high.symbol]))
        partners[other.symbol] = {"symbol": other.symbol, "slug": other.slug, "n": counts[pair.pk], "pair": pair_key}
    phase_counts: dict[str, int] = summary.by_phase
    spread = [(label, phase_counts.get(value, 0), value) for value, label in Phase.choices if phase_counts.get(value)]
    context = {
        "target": target,
        "assets": list(assets[:SHOWN_ASSETS]),
        "total": summary.n_assets,
        "partners": sorted(partners.values(), key=lambda p: (-p["n"], p["symbol"])),
        "spread": spread,
        "max_spread": max((n for _, n, _ in spread), default=1),
        "aliases": list(target.aliases.all()),
        "isoforms": list(target.isoforms.all()),
    }
    return target.symbol, context

