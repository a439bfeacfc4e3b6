"""Asset list (faceted, searchable, sortable) and asset page.

Query budget: the list runs a fixed number of queries (count, page, two prefetches, facets); the
asset page runs one query per section whatever the number of milestones, events or deals.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from programs.facets import compute_facets
from programs.filters import AssetFilterSet
from programs.models import (
    Asset,
    AssetPayload,
    AssetTarget,
)
from programs.pagecache import Page, cached_page, render_page
from programs.tables import AssetTable
from programs.tables.assets import with_sort_keys

PER_PAGE = 50


def asset_queryset() -> QuerySet[Asset]:
    """Assets with everything a list row renders, fetched in three queries per page.

    The prefetches land in plain lists (``arms``, ``payload_links``): without ``to_attr`` Django builds
    a filtered queryset per asset and relation, which cost more than the SQL on a page of 50.
    """
    return Asset.objects.select_related("originator", "latest_milestone").prefetch_related(
        Prefetch("asset_targets", queryset=AssetTarget.objects.select_related("target").order_by("position"),
                 to_attr="arms"),
        Prefetch("asset_payloads", queryset=AssetPayload.objects.select_related("payload").order_by("position"),
                 to_attr="payload_links"),
    )


@require_safe
def asset_list(request: HttpRequest) -> HttpResponse:
    """/assets/: the filtered, faceted, sortable table. Unknown filter values are reported, not fatal.

    The content is cached per data version, query string and permissions (``programs.pagecache``);
    a miss runs the bounded queries of ``_asset_list_body``.
    """
    template = "programs/_asset_results.html" if request.htmx else "programs/_asset_list_body.html"
    query = urlencode([(k, v) for k, values in sorted(request.GET.lists()) for v in values])
    page = cached_page(request, "asset-list", (template, query), lambda: _asset_list_body(request, template))
    if request.htmx:
        return HttpResponse(page["body"])
    return render_page(request, page)


def _asset_list_body(request: HttpRequest, template: str) -> Page:
    fs = AssetFilterSet(request.GET, queryset=asset_queryset(), request=request)
    table = AssetTable(with_sort_keys(fs.qs, request.GET.get("sort")))
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    facets = compute_facets(fs, Asset.objects.all(), request.GET)
    problems = [f"{fs.filters[name].label}: {' '.join(errs)}" for name, errs in fs.form.errors.items()]
    context = {"table": table, "filter": fs, "facets": facets.facets, "facets_stale": facets.stale_for is not None,
               "problems": problems, "query": request.GET.get("q", ""), "active": fs.active}
    return {"title": "Assets", "body": render_to_string(template, context, request=request),
            "ttl": facets.stale_for}
