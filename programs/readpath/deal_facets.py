"""Facet counts and active-filter chips for the deal list, as the asset list has them.

Each facet is counted over the deals matching every *other* active filter (ticking "Licence" still
shows how many options there are), through the same ``DealFilterSet`` as the page, the API and
the exports, so a count is exactly the rows a click gives. Query bound: one GROUP BY per facet
(seven), whatever the number of deals; the counts are cached per filter state and data version
(``counted``) and the page around them too (``programs.readpath.pagecache``).

This module counts and labels; it does not render or decide what the list shows.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from programs.filters.deals import SIZE_BANDS, UNDATED, DealFilterSet, size_band, with_standing_join
from programs.models import Company, Deal, DealParty
from programs.readpath import data_version
from programs.readpath.facets import FACET_CACHE_SECONDS, Facet, FacetOption, toggle_urls
from programs.vocab import DealKind, DealRole, DealStatus, choice_labels

#: Facets over many values (parties, targets) show the most frequent ones plus the selected.
TOP_VALUES = 15
_CHOICES: dict[str, dict[str, str]] = {
    "kind": choice_labels(DealKind), "status": choice_labels(DealStatus), "role": choice_labels(DealRole),
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


_INVALID = object()


def _without(params: QueryDict, name: str) -> QuerySet[Any] | None | object:
    """The ids of the deals matching every filter but ``name``: None when that is every deal (the
    counts then need no semi-join), ``_INVALID`` when another filter is invalid."""
    others = params.copy()
    others.pop(name, None)
    if not any(v != "" for k, values in others.lists() if k not in _NOT_FILTERS for v in values):
        return None
    fs = DealFilterSet(others, queryset=Deal.objects.all())
    if not fs.is_valid():
        return _INVALID
    return fs.qs.order_by().values("pk")


def _counts(name: str, ids: QuerySet[Any] | None) -> Iterable[tuple[str, str, int]]:
    """(value, label, count) of facet ``name`` over the deals ``ids`` (None: all), most frequent first
    where there are many."""
    among = {} if ids is None else {"deal_id__in": ids}
    deals = Deal.objects.all() if ids is None else Deal.objects.filter(pk__in=ids)
    if name in ("kind", "status"):
        rows = deals.order_by().values_list(name).annotate(n=Count("pk"))
        return [(v, _CHOICES[name].get(v, v), n) for v, n in rows]
    if name == "role":
        rows = (DealParty.objects.filter(**among).order_by().values_list("role")
                .annotate(n=Count("deal_id", distinct=True)))
        return [(v, _CHOICES["role"].get(v, v), n) for v, n in rows]
    if name == "party":
        rows = (DealParty.objects.filter(**among).order_by().values_list("company__slug", "company__name")
                .annotate(n=Count("deal_id", distinct=True)).order_by("-n", "company__name")[:TOP_VALUES])
        return [(slug, company, n) for slug, company, n in rows]
    if name == "year":
        rows = deals.order_by().annotate(y=ExtractYear("announced_on")).values_list("y").annotate(n=Count("pk"))
        by_year = sorted(((y, n) for y, n in rows), key=lambda yn: -(yn[0] or 0))  # undated last
        return [(str(y) if y else UNDATED, str(y) if y else "Not stated", n) for y, n in by_year]
    if name == "target":
        rows = (Deal.assets.through.objects.filter(asset__asset_targets__isnull=False, **among)
                .order_by().values_list("asset__asset_targets__target__symbol")
                .annotate(n=Count("deal_id", distinct=True)).order_by("-n", "asset__asset_targets__target__symbol")
                [:TOP_VALUES])
        return [(symbol, symbol, n) for symbol, n in rows]
    rows = (with_standing_join(deals).order_by().annotate(band=size_band("standing_usd")).values_list("band")
            .annotate(n=Count("pk")))
    counted = dict(rows)
    return [(band, label, counted[band]) for band, label in SIZE_BANDS if counted.get(band)]


Counted = dict[str, list[tuple[str, str, int]]]


def _count_all(params: QueryDict) -> Counted:
    """Every facet's (value, label, count): one GROUP BY each."""
    out: Counted = {}
    for name, _ in FACETS:
        ids = _without(params, name)
        if ids is not _INVALID:
            out[name] = list(_counts(name, ids))  # type: ignore[arg-type]
    return out


def _state_digest(params: QueryDict) -> str:
    state = sorted((k, sorted(v)) for k, v in params.lists() if k not in _NOT_FILTERS)
    return hashlib.sha1(json.dumps(state).encode()).hexdigest()


def counted(params: QueryDict) -> tuple[Counted, int | None]:
    """The counts for this filter state and the seconds they may still stand (None: exact).

    Kept per filter state and data version, so a repeated view costs one cache read; right after an
    edit, counts of the same state computed less than ``ADCTRACK_FACET_FRESH_SECONDS`` ago are
    reused (an edit moves a count by one or two; recounting 100,000 deals costs about half a
    second), as the asset list does, and the page says so.
    """
    version = data_version.current()
    if version is None:  # the cache is unavailable: count from the database, keep nothing
        return _count_all(params), None
    digest = _state_digest(params)
    key, recent_key = f"adctrack:deal-facets:{version}:{digest}", f"adctrack:deal-facets-recent:{digest}"
    exact = cache.get(key)
    if exact is not None:
        return exact, None
    now, fresh = time.time(), settings.ADCTRACK_FACET_FRESH_SECONDS
    recent = cache.get(recent_key)
    if recent is not None and now - recent[0] < fresh:
        return recent[1], max(1, int(recent[0] + fresh - now))
    counts = _count_all(params)
    cache.set(key, counts, FACET_CACHE_SECONDS)
    cache.set(recent_key, (now, counts), FACET_CACHE_SECONDS)
    return counts, None


def deal_facets(params: QueryDict) -> tuple[list[Facet], int | None]:
    """The deal list's facets for the list's query string (values selected there are ticked), and
    the seconds their counts may still stand when they predate the latest edit (else None)."""
    counts, stale_for = counted(params)
    facets = []
    for name, label in FACETS:
        if name not in counts:
            continue  # another filter is invalid: the form says which
        selected = set(params.getlist(name))
        toggle: Callable[[str], str] = toggle_urls(params, name)
        options = [FacetOption(v, lab, n, v in selected, toggle(v)) for v, lab, n in counts[name]]
        shown = {o.value for o in options}
        # a selected value outside the top ones (or matching nothing now) stays visible, to untick it
        options += [FacetOption(v, _value_label(name, v), 0, True, toggle(v)) for v in sorted(selected - shown)]
        facets.append(Facet(name, label, options))
    return facets, stale_for


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
