"""Writing statistics: one transaction per group, set-based SQL writes, today's snapshot, freshness flags.

Each group's figures go from its ``GROUP BY`` query (``programs.stats.groups``) straight into the
``Statistic`` table in one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``: no row travels through
Python, which is what made large groups (one row per ILD figure, per target pair) cost many times their
query. Three more statements per group drop the keys that disappeared and bring today's snapshot in
line. ``ON CONFLICT`` works on PostgreSQL and on SQLite (3.24+), so the embedded setup runs the same code.

``recompute_group`` is idempotent and safe to run in two workers at once: it locks the group's
``StatisticGroup`` row (``select_for_update``), so the second run waits and then writes the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from programs.models import Statistic, StatisticGroup, StatisticSnapshot
from programs.stats.groups import GROUPS, Source

log = logging.getLogger(__name__)


def _sql() -> dict[str, str]:
    """The four write statements, with table and column names quoted for the current backend."""
    q = connection.ops.quote_name
    stat, snap = q(Statistic._meta.db_table), q(StatisticSnapshot._meta.db_table)
    group, key, value, records, meta, at, date = map(q, ("group", "key", "value", "records", "meta",
                                                         "computed_at", "date"))
    return {
        # "WHERE 1 = 1": SQLite needs a WHERE between INSERT ... SELECT and ON CONFLICT to parse it.
        # Every row is written with the run's timestamp (``computed_at`` says when each figure was
        # computed); the unique (group, key) index makes it one statement, whatever the row count.
        "upsert": (
            f"INSERT INTO {stat} ({group}, {key}, {value}, {records}, {meta}, {at}) "
            "SELECT %s, s.stat_key, s.stat_value, s.stat_records, s.stat_meta, %s FROM ({source}) s WHERE 1 = 1 "
            f"ON CONFLICT ({group}, {key}) DO UPDATE SET {value} = excluded.{value}, "
            f"{records} = excluded.{records}, {meta} = excluded.{meta}, {at} = excluded.{at}"
        ),
        # Rows not written by this run are keys that disappeared. "<>" rather than "<": correct even if
        # the clock stepped back since the last run.
        "drop": f"DELETE FROM {stat} WHERE {group} = %s AND {at} <> %s",
        # Today's snapshot: compare and write, so the many incremental runs of a day only touch the
        # figures that changed (a snapshot row is date, group, key, value, records).
        "snapshot": (
            f"INSERT INTO {snap} ({date}, {group}, {key}, {value}, {records}) "
            f"SELECT %s, {group}, {key}, {value}, {records} FROM {stat} WHERE {group} = %s "
            f"ON CONFLICT ({date}, {group}, {key}) DO UPDATE SET {value} = excluded.{value}, "
            f"{records} = excluded.{records} WHERE {snap}.{value} <> excluded.{value} "
            f"OR {snap}.{records} <> excluded.{records}"
        ),
        "snapshot_drop": (
            f"DELETE FROM {snap} WHERE {date} = %s AND {group} = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {stat} t WHERE t.{group} = {snap}.{group} AND t.{key} = {snap}.{key})"
        ),
    }


def write_group(group: str, source: Source) -> int:
    """Replace ``group``'s figures by the rows of ``source`` and update today's snapshot; returns the rows.

    Four statements, all set-based. Call inside the group's transaction (``recompute_group``).
    """
    sql = _sql()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    today = ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cur:
        # The source's own "%s" placeholders stay placeholders: its SQL is spliced in, its params follow ours.
        cur.execute(sql["upsert"].replace("{source}", source.sql), [group, now, *source.params])
        written = max(cur.rowcount, 0)
        cur.execute(sql["drop"], [group, now])
        cur.execute(sql["snapshot"], [today, group])
        cur.execute(sql["snapshot_drop"], [today, group])
    return written


def ensure_groups() -> None:
    """Create the freshness row of every group (dirty: never computed). Two queries when all exist."""
    have = set(StatisticGroup.objects.values_list("group", flat=True))
    missing = [StatisticGroup(group=g, dirty=True) for g in GROUPS if g not in have]
    if missing:
        StatisticGroup.objects.bulk_create(missing, ignore_conflicts=True)


def recompute_group(group: str) -> int:
    """Recompute one group's figures; returns the number of statistic rows written."""
    build = GROUPS[group]
    with transaction.atomic():
        state, _ = StatisticGroup.objects.select_for_update().get_or_create(group=group)
        # Cleared before computing, in this transaction: an edit that commits while we compute waits
        # on the row lock, then flips the flag again and enqueues another run. Nothing is missed.
        started = timezone.now()
        written = write_group(group, build())
        StatisticGroup.objects.filter(pk=state.pk).update(dirty=False, dirty_since=None, computed_at=started)
    return written


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
