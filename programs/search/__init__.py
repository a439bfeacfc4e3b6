"""Asset search: one box, tolerant of case, hyphens, spaces and small typos.

PostgreSQL uses GIN trigram indexes (migration ``search_indexes``) on ``Asset.search_text`` and
``AssetDesignation.normalized``; SQLite falls back to normalised ``contains`` plus a small
edit-distance pass over designations. Both return a queryset of asset ids to filter by.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from programs.models import Asset, AssetDesignation
from programs.text import normalize_name

#: At most this many designations are scanned by the SQLite edit-distance fallback.
FALLBACK_SCAN_LIMIT = 20000


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def typo_budget(key: str) -> int:
    """How many edits a query of this length may be away from a name: 1 up to 8 characters, then 2."""
    return 1 if len(key) <= 8 else 2


def search_condition(text: str) -> Q:
    """A filter on assets matching ``text`` by designation, INN, alias, target (or alias) or company.

    PostgreSQL: no query here (trigram similarity runs inside the caller's query). SQLite: one
    EXISTS query, and when the exact pass finds nothing one more read of designation names for
    the edit-distance fallback. Build it once per request and reuse it (facets apply it ~15 times).
    """
    key = normalize_name(text)
    raw = " ".join(text.split())
    if not key:
        return Q()
    # One UNION of the indexed paths, then ``pk IN``: an OR of the same conditions made the planner
    # test every asset row (a sequential scan, ~100 ms at 100,000 assets); each arm of the union
    # is an index scan (trigram GIN on PostgreSQL).
    arms: list[QuerySet[Any]] = [
        AssetDesignation.objects.filter(normalized__contains=key).order_by().values("asset_id")
    ]
    words = [w for w in raw.split(" ") if w]
    if words:
        arms.append(Asset.objects.filter(*[Q(search_text__icontains=w) for w in words]).order_by().values("id"))
    if connection.vendor == "postgresql":
        arms.append(AssetDesignation.objects.filter(normalized__trigram_similar=key).order_by().values("asset_id"))
        return Q(pk__in=arms[0].union(*arms[1:]))
    exact = Q(pk__in=arms[0].union(*arms[1:]))
    if Asset.objects.filter(exact).exists():
        return exact
    budget = typo_budget(key)
    near = {
        asset_id
        for asset_id, name in AssetDesignation.objects.values_list("asset_id", "normalized")[:FALLBACK_SCAN_LIMIT]
        if edit_distance(key, name, budget) <= budget
        or (len(name) > len(key) and edit_distance(key, name[: len(key)], budget) <= budget)
    }
    return Q(pk__in=sorted(near))


def search_assets(qs: QuerySet[Asset], text: str) -> QuerySet[Asset]:
    """``qs`` narrowed to assets matching ``text`` (see ``search_condition``)."""
    return qs.filter(search_condition(text))
