"""Home and the deal pages (deal pages are another issue's; kept as the foundation's stubs)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from programs.models import Asset, Deal


def _page(request: HttpRequest, qs, per_page: int = 50):  # type: ignore[no-untyped-def]
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    latest = Asset.objects.select_related("latest_milestone", "originator").order_by("-latest_event_date")[:10]
    return render(request, "programs/home.html", {"latest": latest})


def deal_list(request: HttpRequest) -> HttpResponse:
    qs = Deal.objects.prefetch_related("deal_parties__company", "assets", "terms")
    return render(request, "programs/deal_list.html", {"page": _page(request, qs)})


def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deal = get_object_or_404(Deal.objects.select_related("source"), pk=pk)
    return render(request, "programs/deal_detail.html", {"deal": deal})
