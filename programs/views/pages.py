"""Foundation pages: plain lists and details (the analyst issue replaces them with faceted ones)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from programs.models import Asset, Company, Deal, Target


def _page(request: HttpRequest, qs, per_page: int = 50):  # type: ignore[no-untyped-def]
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = Asset.objects.select_related("latest_milestone", "originator").order_by("-latest_event_date")[:10]
    return render(request, "programs/home.html", {"latest": latest})


@require_safe
def asset_list(request: HttpRequest) -> HttpResponse:
    qs = Asset.objects.select_related("originator", "latest_milestone").prefetch_related(
        "asset_targets__target", "asset_payloads__payload"
    )
    return render(request, "programs/asset_list.html", {"page": _page(request, qs)})


@require_safe
def asset_detail(request: HttpRequest, slug: str) -> HttpResponse:
    asset = get_object_or_404(
        Asset.objects.select_related("originator", "target_pair__low", "target_pair__high"), slug=slug
    )
    return render(request, "programs/asset_detail.html", {"asset": asset})


@require_safe
def company_list(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/company_list.html", {"page": _page(request, Company.objects.all())})


@require_safe
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company, slug=slug)
    return render(request, "programs/company_detail.html", {"company": company})


@require_safe
def target_list(request: HttpRequest) -> HttpResponse:
    qs = Target.objects.prefetch_related("aliases")
    return render(request, "programs/target_list.html", {"page": _page(request, qs, 200)})


@require_safe
def target_detail(request: HttpRequest, slug: str) -> HttpResponse:
    target = get_object_or_404(Target, slug=slug)
    return render(request, "programs/target_detail.html", {"target": target})


@require_safe
def deal_list(request: HttpRequest) -> HttpResponse:
    qs = Deal.objects.prefetch_related("deal_parties__company", "assets", "terms")
    return render(request, "programs/deal_list.html", {"page": _page(request, qs)})


@require_safe
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_object_or_404(Deal.objects.select_related("source"), pk=pk)
    return render(request, "programs/deal_detail.html", {"deal": deal})
