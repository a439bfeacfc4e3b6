"""Facet counts and active-filter chips for the deal list, as the asset list has them.

Each facet is counted over the deals matching every *other* active filter (ticking "Licence" still
shows how many options there are), through the same ``DealFilterSet`` as the page, the API and
the exports, so a count is exactly the rows a click gives. Query bound: one GROUP BY per facet
(seven), whatever the number of deals; the page around it is cached per data version
(``programs.readpath.pagecache``), so a repeated view costs none of them.

This module counts and labels; it does not render or decide what the list shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from programs.filters.deals import SIZE_BANDS, UNDATED, DealFilterSet, size_band, with_value_usd
from programs.models import Company, Deal, DealParty
from programs.readpath.facets import Facet, FacetOption, toggle_urls
from programs.vocab import DealKind, DealRole, DealStatus

#: Facets over many values (parties, targets) show the most frequent ones plus the selected.
TOP_VALUES = 15
_CHOICES: dict[str, dict[str, str]] = {
    "kind": dict(DealKind.choices), "status": dict(DealStatus.choices), "role": dict(DealRole.choices),
    "size": dict(SIZE_BANDS), "year": {UNDATED: "Not stated"},
}
FACETS = (("kind", "Kind"), ("status", "Status"), ("role", "Role"), ("party", "Party"), ("year", "Announced"),
          ("target", "Target"), ("size", "Deal size (M USD)"))
_LABELS = dict(FACETS) | {"q": "Search", "asset": "Asset", "pair": "Pair", "territory": "Territory",
                          "year_min": "From year", "year_max": "To year", "value_min": "Value ≥",
                          "value_max": "Value ≤"}
_NOT_FILTERS = ("page", "ordering", "per_page", "format", "columns")


@dataclass(frozen=True, slots=True)
class Chip:
    """One active filter value and the list's URL without it."""

    label: str
    url: str


def _without(params: QueryDict, name: str) -> QuerySet[Deal] | None:
    """The deals matching every filter but ``name`` (None when another filter is invalid)."""
    others = params.copy()
    others.pop(name, None)
    fs = DealFilterSet(others, queryset=Deal.objects.all())
    if not fs.is_valid():
        return None
    return fs.qs.order_by().values("pk")


def _counts(name: str, ids: QuerySet[Any]) -> Iterable[tuple[str, str, int]]:
    """(value, label, count) of facet ``name`` over the deals ``ids``, most frequent first where many."""
    deals = Deal.objects.filter(pk__in=ids)
    if name in ("kind", "status"):
        rows = deals.order_by().values_list(name).annotate(n=Count("pk"))
        return [(v, _CHOICES[name].get(v, v), n) for v, n in rows]
    if name == "role":
        rows = (DealParty.objects.filter(deal_id__in=ids).order_by().values_list("role")
                .annotate(n=Count("deal_id", distinct=True)))
        return [(v, _CHOICES["role"].get(v, v), n) for v, n in rows]
    if name == "party":
        rows = (DealParty.objects.filter(deal_id__in=ids).order_by().values_list("company__slug", "company__name")
                .annotate(n=Count("deal_id", distinct=True)).order_by("-n", "company__name")[:TOP_VALUES])
        return [(slug, company, n) for slug, company, n in rows]
    if name == "year":
        rows = deals.order_by().annotate(y=ExtractYear("announced_on")).values_list("y").annotate(n=Count("pk"))
        by_year = sorted(((y, n) for y, n in rows), key=lambda yn: -(yn[0] or 0))  # undated last
        return [(str(y) if y else UNDATED, str(y) if y else "Not stated", n) for y, n in by_year]
    if name == "target":
        rows = (Deal.assets.through.objects.filter(deal_id__in=ids, asset__asset_targets__isnull=False)
                .order_by().values_list("asset__asset_targets__target__symbol")
                .annotate(n=Count("deal_id", distinct=True)).order_by("-n", "asset__asset_targets__target__symbol")
                [:TOP_VALUES])
        return [(symbol, symbol, n) for symbol, n in rows]
    rows = with_value_usd(deals).order_by().annotate(band=size_band()).values_list("band").annotate(n=Count("pk"))
    counted = dict(rows)
    return [(band, label, counted[band]) for band, label in SIZE_BANDS if counted.get(band)]


def deal_facets(params: QueryDict) -> list[Facet]:
    """The deal list's facets for the list's query string (values selected there are ticked)."""
    facets = []
    for name, label in FACETS:
        ids = _without(params, name)
        if ids is None:
            continue
        selected = set(params.getlist(name))
        toggle: Callable[[str], str] = toggle_urls(params, name)
        options = [FacetOption(v, lab, n, v in selected, toggle(v)) for v, lab, n in _counts(name, ids)]
        shown = {o.value for o in options}
        # a selected value outside the top ones (or matching nothing now) stays visible, to untick it
        options += [FacetOption(v, _value_label(name, v), 0, True, toggle(v)) for v in selected - shown]
        facets.append(Facet(name, label, options))
    return facets


def _value_label(name: str, value: str) -> str:
    if name in _CHOICES:
        return _CHOICES[name].get(value, value)
    if name == "party":
        company = Company.objects.filter(slug=value).values_list("name", flat=True).first()
        return company or value
    return value


def chips(params: QueryDict) -> list[Chip]:
    """One chip per active filter value, each with the URL that removes just that value."""
    out = []
    for name, values in params.lists():
        if name in _NOT_FILTERS:
            continue
        for value in values:
            if value == "":
                continue
            rest = [(k, v) for k, vs in params.lists() if k != "page" for v in vs if (k, v) != (name, value)]
            label = _value_label(name, value)
            out.append(Chip(f"{_LABELS.get(name, name)}: {label}", f"?{urlencode(rest)}" if rest else "?"))
    return out
