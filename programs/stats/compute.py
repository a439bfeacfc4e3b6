"""Writing statistics: one transaction per group, bulk upsert, today's snapshot, freshness flags.

``recompute_group`` is idempotent and safe to run in two workers at once: it locks the group's
``StatisticGroup`` row (``select_for_update``), so the second run waits and then writes the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from programs.models import Statistic, StatisticGroup, StatisticSnapshot
from programs.stats.groups import GROUPS

log = logging.getLogger(__name__)


def ensure_groups() -> None:
    """Create the freshness row of every group (dirty: never computed). Two queries when all exist."""
    have = set(StatisticGroup.objects.values_list("group", flat=True))
    missing = [StatisticGroup(group=g, dirty=True) for g in GROUPS if g not in have]
    if missing:
        StatisticGroup.objects.bulk_create(missing, ignore_conflicts=True)


def recompute_group(group: str) -> int:
    """Recompute one group's figures; returns the number of statistic rows written."""
    compute = GROUPS[group]
    with transaction.atomic():
        state, _ = StatisticGroup.objects.select_for_update().get_or_create(group=group)
        # Cleared before computing, in this transaction: an edit that commits while we compute waits
        # on the row lock, then flips the flag again and enqueues another run. Nothing is missed.
        started = timezone.now()
        state.dirty = False
        state.dirty_since = None
        rows = compute()
        now = timezone.now()
        # One row per key (the upsert cannot touch a row twice); a group function never repeats a key.
        unique = {k[:200]: (v, n, meta) for k, v, n, meta in rows}
        objs = [Statistic(group=group, key=k, value=float(v), records=n, meta=meta, computed_at=now)
                for k, (v, n, meta) in unique.items()]
        Statistic.objects.bulk_create(
            objs, update_conflicts=True, unique_fields=["group", "key"],
            update_fields=["value", "records", "meta", "computed_at"], batch_size=5000,
        )
        # Every row written above carries ``now``: older rows are keys that disappeared. (Cheaper than
        # NOT IN (...) with thousands of keys.)
        Statistic.objects.filter(group=group, computed_at__lt=now).delete()
        today = timezone.localdate()
        StatisticSnapshot.objects.filter(date=today, group=group).delete()
        StatisticSnapshot.objects.bulk_create(
            [StatisticSnapshot(date=today, group=group, key=o.key, value=o.value, records=o.records) for o in objs],
            batch_size=5000,
        )
        state.computed_at = started
        state.save(update_fields=["dirty", "dirty_since", "computed_at"])
    return len(objs)


def recompute_groups(groups: Iterable[str]) -> int:
    """Recompute the named groups (unknown names ignored), each in its own transaction."""
    total = 0
    for group in dict.fromkeys(groups):
        if group in GROUPS:
            total += recompute_group(group)
        else:
            log.warning("Unknown statistics group %r ignored", group)
    return total


def recompute_all() -> int:
    """Every group, from scratch (the nightly beat job and ``manage.py recompute_stats``)."""
    ensure_groups()
    return recompute_groups(GROUPS)


def mark_groups_dirty(groups: Iterable[str]) -> list[str]:
    """Flag groups as edited; returns those whose flag flipped clean -> dirty (they need a task).

    Two or three small queries, whatever the burst size: that is what makes 1,000 edits cost one run.
    """
    names = [g for g in dict.fromkeys(groups) if g in GROUPS]
    if not names:
        return []
    now = timezone.now()
    ensure_groups()
    flipped = list(StatisticGroup.objects.filter(group__in=names, dirty=False).values_list("group", flat=True))
    if flipped:
        StatisticGroup.objects.filter(group__in=flipped, dirty=False).update(dirty=True, dirty_since=now)
    StatisticGroup.objects.filter(group__in=names).update(last_edit_at=now)
    return flipped
