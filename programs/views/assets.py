"""Asset list (``/assets/``): faceted, searchable, sortable, paginated; all state in the query string.

Query budget on a page-cache miss: the count, the page of rows (``list_rows``: two queries on
PostgreSQL, three elsewhere) and the facet counts (``programs.readpath.facets``), whatever the number of
rows. The rows are read with ``.values()`` and written by a Jinja2 fragment
(``templates/jinja2/programs/``): model instances and Django's template language cost several
times what the database spent on a page of 50.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.context_processors import PermWrapper
from django.contrib.postgres.aggregates import StringAgg
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from milestones.models.milestones import milestone_label
from programs.dates import PreciseDate
from programs.filters import AssetFilterSet
from programs.io.export.books import chooser
from programs.models import Asset, AssetPayload, AssetTarget
from programs.readpath.facets import compute_facets
from programs.readpath.pagecache import Page, cached_page, render_page
from programs.readpath.prepared import Prepared
from programs.tables.assets import COLUMNS, asset_ordering, with_sort_keys
from programs.views.asset_rows import url_pattern
from programs.vocab import AntibodyFormat, ConjugationMethod, PayloadClass, Phase, choice_labels

PER_PAGE = 50


def asset_queryset() -> QuerySet[Asset]:
    """Assets with what ``programs/_asset_rows.html`` shows (company and target pages), in three queries.

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

    The content is cached per data version, query string and permissions (``programs.readpath.pagecache``);
    a miss runs the bounded queries of ``_asset_list_body``. An htmx request gets the results only.
    """
    fragment = "results" if request.htmx else "body"
    query = urlencode([(k, v) for k, values in sorted(request.GET.lists()) for v in values])
    page = cached_page(request, "asset-list", (fragment, query), lambda: _asset_list_body(request, fragment))
    if request.htmx:
        return HttpResponse(page["body"])
    return render_page(request, page)


@dataclass
class Row:
    """One table row, from ``.values()`` (no model instances)."""

    code: str
    url: str
    inn: str
    originator: str
    originator_url: str
    antibody_format: str
    conjugation_method: str
    highest_phase: str
    latest_event: str = ""
    latest_event_url: str = ""
    latest_event_when: str = ""
    targets: list[tuple[str, str]] = field(default_factory=list)  # (symbol, url)
    payload_classes: list[str] = field(default_factory=list)


@dataclass
class Header:
    label: str
    url: str
    order: str  # "asc", "desc" or ""


_FORMATS = choice_labels(AntibodyFormat)
_CONJUGATIONS = choice_labels(ConjugationMethod)
_PHASES = choice_labels(Phase)
_PAYLOAD_CLASSES = choice_labels(PayloadClass)


_FIELDS = ("pk", "code", "slug", "inn", "antibody_format", "conjugation_method", "highest_phase",
           "originator__name", "originator__slug", "latest_milestone_id", "latest_milestone__kind",
           "latest_milestone__phase", "latest_milestone__agency", "latest_milestone__date",
           "latest_milestone__date_precision")


def _rows_by_id(*ids: int) -> QuerySet[Asset, tuple[Any, ...]]:
    """The rows of the assets ``ids`` on PostgreSQL, targets and payload classes as ordered string
    aggregates of correlated subqueries (PostgreSQL planned three statements for longer than it ran them)."""
    return Asset.objects.filter(pk__in=ids).order_by().annotate(
        target_list=Subquery(
            AssetTarget.objects.filter(asset=OuterRef("pk")).order_by().values("asset").annotate(
                s=StringAgg(Concat("target__symbol", Value("\t"), "target__slug", output_field=TextField()), "\n",
                            order_by="position")).values("s")),
        payload_list=Subquery(
            AssetPayload.objects.filter(asset=OuterRef("pk")).order_by().values("asset").annotate(
                s=StringAgg("payload__payload_class", "\n", order_by="position")).values("s")),
    ).values_list(*_FIELDS, "target_list", "payload_list")


#: Compiled once (``programs.readpath.prepared``): always PER_PAGE ids, a short page padded with 0 (no asset).
_PAGE_ROWS = Prepared(_rows_by_id, *[int] * PER_PAGE)


def list_rows(qs: QuerySet[Asset], start: int, stop: int) -> list[Row]:
    """Rows ``start:stop`` (at most PER_PAGE) of the ordered ``qs``.

    On PostgreSQL two statements: the page's ids (the filtered, sorted query, cheap to build) and
    their rows by a statement compiled once; building the annotated row query per request cost
    Django more than PostgreSQL spent running it. Elsewhere three: rows, their targets, their payloads.
    """
    links = _Links()
    if connection.vendor == "postgresql":
        ids = list(qs.values_list("pk", flat=True)[start:stop])
        assert len(ids) <= PER_PAGE
        found = {r[0]: r for r in _PAGE_ROWS.rows(*ids, *[0] * (PER_PAGE - len(ids)))}
        rows = []
        for pk in ids:
            *values, target_list, payload_list = found[pk]
            row = _row(values, links)
            for pair in target_list.split("\n") if target_list else []:
                symbol, slug = pair.split("\t")
                row.targets.append((symbol, links.target(slug)))
            for payload_class in payload_list.split("\n") if payload_list else []:
                _add_class(row, payload_class)
            rows.append(row)
        return rows
    by_id = {values[0]: _row(values, links) for values in qs.values_list(*_FIELDS)[start:stop]}
    if by_id:
        for asset_id, symbol, slug in AssetTarget.objects.filter(asset_id__in=by_id).order_by(
                "asset_id", "position").values_list("asset_id", "target__symbol", "target__slug"):
            by_id[asset_id].targets.append((symbol, links.target(slug)))
        for asset_id, payload_class in AssetPayload.objects.filter(asset_id__in=by_id).order_by(
                "asset_id", "position").values_list("asset_id", "payload__payload_class"):
            _add_class(by_id[asset_id], payload_class)
    return list(by_id.values())


class _Links:
    """The list's URLs, each reversed once per page (``url_pattern``), then concatenated per row."""

    def __init__(self) -> None:
        self.asset = url_pattern("programs:asset_detail", "slug")
        self.company = url_pattern("programs:company_detail", "slug")
        self._target = url_pattern("programs:target_detail", "slug")
        self.milestone = url_pattern("milestones:milestone_detail")

    def target(self, slug: str) -> str:
        return self._target[0] + slug + self._target[1]


def _row(values: Sequence[Any], links: _Links) -> Row:
    """A Row from the ``_FIELDS`` of one asset."""
    (_, code, slug, inn, antibody_format, conjugation_method, highest_phase, originator, originator_slug,
     milestone_id, kind, phase, agency, date, precision) = values
    row = Row(
        code=code, url=links.asset[0] + slug + links.asset[1], inn=inn,
        originator=originator, originator_url=links.company[0] + originator_slug + links.company[1],
        antibody_format=_FORMATS.get(antibody_format, antibody_format),
        conjugation_method=_CONJUGATIONS.get(conjugation_method, conjugation_method),
        highest_phase=_PHASES.get(highest_phase, highest_phase),
    )
    if milestone_id is not None:
        row.latest_event = milestone_label(kind, phase, agency)
        row.latest_event_url = f"{links.milestone[0]}{milestone_id}{links.milestone[1]}"
        row.latest_event_when = str(PreciseDate(date, precision))
    return row


def _add_class(row: Row, payload_class: str) -> None:
    """Two payloads of one class: the class once."""
    label = _PAYLOAD_CLASSES.get(payload_class, payload_class)
    if not row.payload_classes or row.payload_classes[-1] != label:
        row.payload_classes.append(label)


def _with(params: QueryDict, **changes: str) -> str:
    q = params.copy()
    for key, value in changes.items():
        q[key] = value
    return "?" + q.urlencode()


def _headers(params: QueryDict, sort: str) -> list[Header]:
    """Column headers linking to their sort (a sorted column's link reverses it), back on page 1."""
    base = params.copy()
    base.pop("page", None)
    headers = []
    for column in COLUMNS:
        order = "asc" if sort == column.name else "desc" if sort == f"-{column.name}" else ""
        target = f"-{column.name}" if order == "asc" else column.name
        headers.append(Header(column.header, _with(base, sort=target), order))
    return headers


def _asset_list_body(request: HttpRequest, fragment: str) -> Page:
    params = request.GET
    fs = AssetFilterSet(params, queryset=Asset.objects.all(), request=request)
    sort, order_by = asset_ordering(params.get("sort"))
    qs = with_sort_keys(fs.qs, sort).order_by(*order_by)
    # A malformed page number gives the first page, one past the end the last (get_page).
    page = Paginator(qs, PER_PAGE).get_page(params.get("page"))
    rows = list_rows(qs, page.start_index() - 1, page.end_index()) if page.paginator.count else []
    facets = compute_facets(fs, Asset.objects.all(), params)
    problems = [f"{fs.filters[name].label}: {' '.join(errs)}" for name, errs in fs.form.errors.items()]
    kept = [(k, v) for k, values in params.lists() if k not in ("q", "page") for v in values]
    no_page = params.copy()
    no_page.pop("page", None)
    context = {
        "rows": rows, "headers": _headers(params, sort), "page": page,
        "previous_url": _with(params, page=str(page.previous_page_number())) if page.has_previous() else "",
        "next_url": _with(params, page=str(page.next_page_number())) if page.has_next() else "",
        "facets": facets.facets, "facets_stale": facets.stale_for is not None, "problems": problems,
        "query": params.get("q", ""), "active": fs.active, "kept": kept, "export_query": no_page.urlencode(),
        "perms": PermWrapper(request.user),
        "chooser": chooser("assets", reverse("programs:asset_export"), params),
    }
    template = "programs/asset_results.html" if fragment == "results" else "programs/asset_list_body.html"
    return {"title": "Assets", "body": render_to_string(template, context, request=request, using="jinja2"),
            "ttl": facets.stale_for}
