"""Facet counts for the asset list: how many assets each filter value would give.

Each facet is counted over the assets matching every *other* active filter (so ticking "EGFR" still
shows how many MUC1 assets there are). Query bound: facets without an active filter share one
GROUP BY over the filtered assets; each active facet and each child-table facet costs one more
query. So at most ~15 queries whatever the number of rows.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django_countries import countries

from milestones.models import SafetyEvent
from milestones.vocab import Assessment
from programs import jobs
from programs.filters.assets import IND_AGENCIES, AssetFilterSet
from programs.models import Asset, AssetPayload, AssetTarget, Company, TargetPair
from programs.models.targets import pair_key
from programs.readpath import data_version

#: Facets over many values (targets, pairs, companies) show the most frequent ones plus the selected.
TOP_VALUES = 15
TOP_FACETS = ("target", "pair", "originator", "originator_country")
#: Counts are keyed by the data version, so they are never wrong, only unused once it moves; a day
#: keeps an idle filter state from paying a recount (0.3 s over 100,000 assets) on its next view.
#: An entry holds only the values the sidebar shows (``_shown``), a few kilobytes.
FACET_CACHE_SECONDS = 86_400

SCALAR_FACETS = ("antibody_format", "conjugation_method", "highest_phase", "status", "masked", "linker_cleavable")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""


@dataclass
class FacetResult:
    facets: list[Facet]
    #: Seconds these counts may still be shown: set when they predate the latest edit, else None.
    stale_for: int | None


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def any_selected(self) -> bool:
        return any(o.selected for o in self.options)


def toggle_urls(params: QueryDict, name: str) -> Callable[[str], str]:
    """For one facet: value -> the query string with that value switched on or off, back on page 1.

    The other parameters are encoded once per facet, not once per option (a sidebar has ~100).
    """
    others = urlencode([(k, v) for k, values in params.lists() if k not in (name, "page") for v in values])
    selected = params.getlist(name)
    prefix = f"?{others}&" if others else "?"

    def toggle(value: str) -> str:
        values = [v for v in selected if v != value] if value in selected else [*selected, value]
        return (prefix + urlencode([(name, v) for v in values])).rstrip("&")

    return toggle


def _scalar_value(name: str, raw: Any) -> str:
    if name == "masked":
        return "yes" if raw else "no"
    if name == "linker_cleavable":
        return "unknown" if raw is None else ("yes" if raw else "no")
    return str(raw)


def _state_digest(params: QueryDict) -> str:
    state = sorted((k, sorted(v)) for k, v in params.lists() if k not in ("page", "sort", "per_page"))
    return hashlib.sha1(json.dumps(state).encode()).hexdigest()


def compute_facets(fs: AssetFilterSet, base: QuerySet[Asset], params: QueryDict, *, recount: bool = False
                   ) -> FacetResult:
    """Facets with counts for the filter set ``fs`` (already validated) over ``base`` (all assets).

    Counts are cached per filter state and data version (any save bumps it), so a repeated view
    costs one cache read. After an edit, counts of the same filter state computed less than
    ``ADCTRACK_FACET_FRESH_SECONDS`` ago are reused (an edit moves a count by one or two; recounting every
    facet over 100,000 assets costs a third of a second): the result says how long they may stand,
    and the page cache keeps the page no longer. Otherwise (or with ``recount``) the bounded set of
    GROUP BY queries in ``_count`` runs.
    """
    version = data_version.current()
    if version is None:  # the cache is unavailable: count from the database, keep nothing
        return FacetResult(_build(fs, params, *_shown(_count(fs, base), params)), None)
    digest = _state_digest(params)
    key = f"adctrack:facets:{version}:{digest}"
    recent_key = f"adctrack:facets-recent:{digest}"
    now = time.time()
    exact = cache.get(key)
    if exact is not None:
        counts, labels = exact
        return FacetResult(_build(fs, params, counts, labels), None)
    recent = cache.get(recent_key)
    fresh = settings.ADCTRACK_FACET_FRESH_SECONDS
    if recent is not None and now - recent[0] < fresh and not recount:
        computed_at, counts, labels = recent
        return FacetResult(_build(fs, params, counts, labels), max(1, int(computed_at + fresh - now)))
    plain_key = plain_list_key(version)
    plain = cache.get(plain_key) if key != plain_key else None  # the plain list itself counts in full
    counts, labels = _shown(_count(fs, base, plain), params)
    cache.set(key, (counts, labels), FACET_CACHE_SECONDS)
    cache.set(recent_key, (now, counts, labels), FACET_CACHE_SECONDS)
    return FacetResult(_build(fs, params, counts, labels), None)


Counts = tuple[dict[str, Counter[str]], dict[str, dict[str, str]]]


def _count(fs: AssetFilterSet, base: QuerySet[Asset], plain: Counts | None = None) -> Counts:
    """Every facet's counts: the bounded set of GROUP BYs.

    ``plain``: the unfiltered list's counts at the same data version (kept warm by a worker). A facet
    no *other* filter narrows counts every asset, exactly as the unfiltered list does, so its counts
    are taken from there: a view with one filter ticked then counts only the other facets, over the
    filtered assets, instead of also grouping all 100,000 assets for the ticked facet.
    """
    active = fs.active
    counts: dict[str, Counter[str]] = {}
    labels: dict[str, dict[str, str]] = {}

    def over(name: str | None) -> QuerySet[Asset]:
        return fs.filter_queryset_without(base, name)

    def unfiltered(name: str) -> bool:
        """No other filter narrows this facet: child tables can be counted without joining assets."""
        return not (active.keys() - {name})

    def of_assets(qs: QuerySet[Any], name: str) -> QuerySet[Any]:
        return qs if unfiltered(name) else qs.filter(asset__in=over(name).values("pk"))

    def reused(name: str) -> bool:
        """Take ``name``'s counts from ``plain`` when they are the same counts (see above)."""
        if plain is None or not unfiltered(name) or name not in plain[0]:
            return False
        if not set(fs.data.getlist(name)) <= plain[0][name].keys():
            return False  # a ticked value the unfiltered list does not show (it keeps only the top ones)
        counts[name] = Counter(plain[0][name])
        if name in plain[1]:
            labels[name] = dict(plain[1][name])
        return True

    shared = [n for n in SCALAR_FACETS if n not in active]
    if shared:
        rows = over(None).order_by().values(*shared).annotate(n=Count("pk"))
        for n in shared:
            counts[n] = Counter()
        for row in rows:
            for n in shared:
                counts[n][_scalar_value(n, row[n])] += row["n"]
    for n in SCALAR_FACETS:
        if n in active and not reused(n):
            counts[n] = Counter()
            for row in over(n).order_by().values(n).annotate(c=Count("pk")):
                counts[n][_scalar_value(n, row[n])] += row["c"]

    if not reused("target"):
        target_rows = (
            of_assets(AssetTarget.objects.all(), "target").order_by()
            .values("target__symbol").annotate(n=Count("asset_id", distinct=True))
        )
        counts["target"] = Counter({r["target__symbol"]: r["n"] for r in target_rows})
    if not reused("pair"):
        # Grouped by the pair's id alone, then the pairs' symbols read apart: joining both targets
        # into the GROUP BY cost three times as much over every asset.
        by_pair = dict(
            over("pair").filter(target_pair__isnull=False).order_by().values_list("target_pair_id")
            .annotate(n=Count("pk")).values_list("target_pair_id", "n")
        )
        counts["pair"] = Counter()
        # Every pair (a few thousand short rows) is read faster than the same rows by a long IN list.
        for pk, low, high in TargetPair.objects.order_by().values_list("pk", "low__symbol", "high__symbol"):
            if pk in by_pair:
                counts["pair"][pair_key(low, high)] += by_pair[pk]
        labels["pair"] = {k: k.replace("-", " × ", 1) for k in counts["pair"]}
    if not reused("payload_class"):
        payload_rows = (
            of_assets(AssetPayload.objects.all(), "payload_class").order_by()
            .values("payload__payload_class").annotate(n=Count("asset_id", distinct=True))
        )
        counts["payload_class"] = Counter({r["payload__payload_class"]: r["n"] for r in payload_rows})
    _count_originators(active, over, counts, labels, reused)
    # IND agencies from the derived ``first_ind`` (agency -> first clearance), as the filter reads it:
    # one pass over the assets instead of a DISTINCT count over every milestone.
    if not reused("ind_agency"):
        ind = over("ind_agency").aggregate(**{
            agency: Count("pk", filter=Q(first_ind__has_key=agency)) for agency in IND_AGENCIES
        })
        counts["ind_agency"] = Counter({agency: n for agency, n in ind.items() if n})
    if not reused("safety"):
        safety_rows = (
            of_assets(SafetyEvent.objects.filter(assessment=Assessment.REPORTED), "safety")
            .order_by().values("category").annotate(n=Count("asset_id", distinct=True))
        )
        counts["safety"] = Counter({r["category"]: r["n"] for r in safety_rows})
    return counts, labels


def _count_originators(active: dict[str, Any], over: Callable[[str | None], QuerySet[Asset]],
                       counts: dict[str, Counter[str]], labels: dict[str, dict[str, str]],
                       reused: Callable[[str], bool]) -> None:
    """Originators: grouped by the foreign key alone (no join to hash 100,000 rows through), then the
    companies read by id. Countries follow from the same counts while neither facet is active (both
    count the same assets then); otherwise they need their own query."""
    if "originator" in active or "originator_country" in active:
        if not reused("originator"):
            _by_company(over("originator"), counts, labels)
        if not reused("originator_country"):
            country_rows = over("originator_country").order_by().values("originator__country").annotate(
                n=Count("pk"))
            counts["originator_country"] = Counter(
                {r["originator__country"]: r["n"] for r in country_rows if r["originator__country"]}
            )
    else:
        by_company, companies = _by_company(over("originator"), counts, labels)
        counts["originator_country"] = Counter()
        for pk, n in by_company.items():
            if companies[pk]["country"]:
                counts["originator_country"][companies[pk]["country"]] += n
    labels["originator_country"] = {c: str(countries.name(c) or c) for c in counts["originator_country"]}


def _by_company(qs: QuerySet[Asset], counts: dict[str, Counter[str]], labels: dict[str, dict[str, str]]
                ) -> tuple[Counter[int], dict[int, dict[str, Any]]]:
    by_company: Counter[int] = Counter(dict(
        qs.order_by().values_list("originator_id").annotate(n=Count("pk")).values_list("originator_id", "n")
    ))
    companies = {c["pk"]: c for c in Company.objects.filter(pk__in=list(by_company)).order_by().values(
        "pk", "slug", "name", "country")}
    counts["originator"] = Counter({companies[pk]["slug"]: n for pk, n in by_company.items()})
    labels["originator"] = {c["slug"]: c["name"] for c in companies.values()}
    return by_company, companies


def _shown(counted: Counts, params: QueryDict) -> Counts:
    """Only the values the sidebar can show (the top ones and the selected) of the long facets.

    What is cached is read back on every page miss: 5,000 originators unpickled and ranked per view
    cost more than the rest of the facet work together.
    """
    counts, labels = counted
    for name in TOP_FACETS:
        c = counts.get(name, Counter())
        keep = {k for k, _ in c.most_common(TOP_VALUES)} | set(params.getlist(name))
        counts[name] = Counter({k: n for k, n in c.items() if k in keep})
        if name in labels:
            labels[name] = {k: v for k, v in labels[name].items() if k in keep}
    return counts, labels


def _build(fs: AssetFilterSet, params: QueryDict, counts: dict[str, Counter[str]],
           labels: dict[str, dict[str, str]]) -> list[Facet]:
    facets: list[Facet] = []
    for name in ("target", "pair", "antibody_format", "conjugation_method", "payload_class", "linker_cleavable",
                 "masked", "highest_phase", "status", "originator", "originator_country", "ind_agency", "safety"):
        flt = fs.filters[name]
        selected = set(params.getlist(name))
        choice_labels = dict(flt.extra.get("choices", []) if not callable(flt.extra.get("choices")) else [])
        choice_labels.update(labels.get(name, {}))
        c = counts.get(name, Counter())
        if name in TOP_FACETS:
            keys = [k for k, _ in c.most_common(TOP_VALUES)]
        else:
            keys = [k for k in choice_labels if c.get(k)] if choice_labels else list(c)
        keys += [s for s in selected if s not in keys]
        facet = Facet(name, str(flt.label))
        toggle = toggle_urls(params, name)
        for k in keys:
            facet.options.append(FacetOption(k, str(choice_labels.get(k, k)), c.get(k, 0), k in selected, toggle(k)))
        facets.append(facet)
    return facets


#: Set while a warm-up of the plain list's counts is queued (``queue_warm``), so a burst of edits
#: queues one; the task clears it first, so an edit made while it counts queues one more.
WARM_FLAG = "adctrack:facets-warm-queued"
WARM_FLAG_SECONDS = 300


def plain_list_key(version: int) -> str:
    """The cache key of the plain list's counts at ``version``."""
    return f"adctrack:facets:{version}:{_state_digest(QueryDict())}"


def warm_plain_list() -> int | None:
    """Count the facets of ``/assets/`` with no filter for the current data version.

    The most viewed state of the list: counted by a worker after every change, its first reader
    reads them from the cache instead of waiting for 13 GROUP BYs over every asset. Returns the
    data version counted (None, counting nothing, while the cache is unavailable).
    """
    params = QueryDict()
    fs = AssetFilterSet(params, queryset=Asset.objects.all())
    version = data_version.current()
    if version is None:
        return None
    compute_facets(fs, Asset.objects.all(), params, recount=True)
    return version


def queue_warm() -> None:
    """Queue ``programs.warm_asset_facets`` once per burst of changes, when a worker runs the tasks.

    In eager mode (the embedded default, no REDIS_URL) nothing is queued: the count would run inside
    the editor's request, once per saved row. Called after commit (``data_version``).
    """
    warm_asset_facets = jobs.lookup("warm_asset_facets")
    if warm_asset_facets.app.conf.task_always_eager or not cache.add(WARM_FLAG, 1, WARM_FLAG_SECONDS):
        return

    if not jobs.send(warm_asset_facets):
        cache.delete(WARM_FLAG)  # the broker is down: let the next change try again


def _version_moved(*_args: Any, **_kwargs: Any) -> None:
    queue_warm()


def connect() -> None:
    """Recount the plain list's facets whenever the data version moves (``ProgramsConfig.ready``)."""
    data_version.version_moved.connect(_version_moved, dispatch_uid="facets-warm-on-version-move")
