"""Q builders shared by the FilterSets of records that belong to an asset (milestones, deals, ...).

``prefix`` is the path from the filtered model to ``Asset`` ("asset__" for a milestone,
"assets__" for a deal); the match rules are those of ``AssetFilterSet``.
"""

from __future__ import annotations

from django.db.models import Q

from programs.text import normalize_name


def asset_q(prefix: str, value: str) -> Q:
    """The asset named by any designation (code, INN, brand, alias), case and punctuation ignored."""
    key = normalize_name(value)
    return Q(**{f"{prefix}designations__normalized": key}) if key else Q(pk__in=[])


def target_q(prefix: str, value: str) -> Q:
    """Assets binding the target named by symbol or alias."""
    key = normalize_name(value)
    return Q(**{f"{prefix}asset_targets__target__normalized": key}) | Q(
        **{f"{prefix}asset_targets__target__aliases__normalized": key}
    )


def pair_q(prefix: str, value: str) -> Q:
    """Assets whose target pair is "A-B" (either order)."""
    a, _, b = value.partition("-")
    low, high = f"{prefix}target_pair__low__symbol__iexact", f"{prefix}target_pair__high__symbol__iexact"
    return Q(**{low: a, high: b}) | Q(**{low: b, high: a})
