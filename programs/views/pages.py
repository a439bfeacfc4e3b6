"""The home page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programs.models import Asset


def _page(request: HttpRequest, qs, per_page: int = 50):  # type: ignore[no-untyped-def]
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    latest = Asset.objects.select_related("latest_milestone", "originator").order_by("-latest_event_date")[:10]
    return render(request, "programs/home.html", {"latest": latest})


