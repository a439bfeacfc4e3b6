"""Deal list and deal page.

The list is ``DealFilterSet`` over ``deal_list_queryset`` rendered by ``DealTable``: filters, sort
(``ordering``) and page all live in the query string, so a URL is a saved view and the export links
carry the same query string.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from programs.filters import DealFilterSet
from programs.io.export.books import chooser
from programs.models import Asset, Company, Deal, DealParty, DealTerms
from programs.readpath.deal_facets import chips, deal_facets
from programs.readpath.pagecache import cached_template
from programs.tables import DealTable

PER_PAGE = 50
#: Filters chosen only in the facet sidebar, not in the form (party and target are both: a facet of
#: the frequent ones, a text field for any name or alias).
FACET_ONLY = ("kind", "status", "role", "year", "size")


def deal_list_queryset() -> QuerySet[Deal]:
    """Deals with what a list row shows prefetched: three queries per page, whatever its size."""
    return Deal.objects.prefetch_related(
        Prefetch("deal_parties", queryset=DealParty.objects.select_related("company").order_by("id")),
        Prefetch("assets", queryset=Asset.objects.only("id", "code", "slug").order_by("code")),
    )


@require_safe
def deal_list(request: HttpRequest) -> HttpResponse:
    """/deals/: content cached per data version, query string and permissions (``programs.readpath.pagecache``).

    A query string with empty parameters (what the filter form sends for its blank fields) is
    redirected to the same query without them, so the URL a user shares says only what is filtered.
    """
    if any(v == "" for _, values in request.GET.lists() for v in values):
        kept = [(k, v) for k, values in request.GET.lists() for v in values if v != ""]
        return HttpResponseRedirect(f"{reverse('programs:deal_list')}{'?' + urlencode(kept) if kept else ''}")

    def build() -> tuple[str, dict[str, Any]]:
        filterset = DealFilterSet(request.GET, queryset=deal_list_queryset())
        qs = filterset.qs if filterset.is_valid() else Deal.objects.none()
        table = DealTable(qs)
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        query = request.GET.copy()
        query.pop("page", None)
        can_export = request.user.has_perm("programs.export_data")
        facets, stale_for = deal_facets(request.GET)
        # the facets' selections ride along when the text filters are submitted
        kept = [(k, v) for k in FACET_ONLY for v in request.GET.getlist(k)]
        return "Deals", {"filter": filterset, "table": table, "query": query.urlencode(), "can_export": can_export,
                         "chooser": chooser("deals", reverse("programs:deal_export"), request.GET),
                         "facets": facets, "facet_only": FACET_ONLY, "kept": kept,
                         "chips": chips(request.GET), "facets_stale": stale_for is not None,
                         "ttl": stale_for}

    return cached_template(request, "deal-list", (), "programs/deal_list_body.html", build)


@require_safe
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/deals/<pk>/: content cached like the list's."""
    return cached_template(request, "deal", (str(pk),), "programs/deal_detail_body.html", lambda: _deal_context(pk))


def _deal_context(pk: int) -> tuple[str, dict[str, Any]]:
    deal = get_object_or_404(
        Deal.objects.select_related("source", "platform__company").prefetch_related(
            Prefetch("deal_parties", queryset=DealParty.objects.select_related("company").order_by("role", "id")),
            Prefetch("assets", queryset=Asset.objects.select_related("target_pair__low", "target_pair__high")),
            Prefetch("terms", queryset=DealTerms.objects.select_related("source").order_by("-stands", "id")),
        ),
        pk=pk,
    )
    # One row per company with all its roles: BMS licensee and co-developer of one deal is one party.
    parties: dict[int, tuple[Company, list[str]]] = {}
    for p in deal.deal_parties.all():
        parties.setdefault(p.company_id, (p.company, []))[1].append(p.get_role_display())
    return deal.title, {"deal": deal, "parties": list(parties.values())}
