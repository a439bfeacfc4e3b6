"""Writing statistics: one transaction per group, set-based SQL writes, today's snapshot, freshness flags.

Each group's rows go from its ``GROUP BY`` query (``programs.derivation.stats.groups``) into a temporary table
and from there, compared with the stored figures, into ``Statistic`` with one
``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` of the rows that changed. No row travels through
Python, which is what made large groups (one row per ILD figure, per target pair) cost many times their
query. Two ``DELETE ... NOT EXISTS`` drop vanished keys; today's snapshot is written the same way.
All of it is plain SQL that PostgreSQL and SQLite (3.24+) both run, so the embedded setup runs the same code.

``recompute_group`` is idempotent and safe to run in two workers at once: it locks the group's
``StatisticGroup`` row (``select_for_update``), so the second run waits and then writes the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from programs.derivation.stats.groups import GROUPS, Source
from programs.models import Statistic, StatisticGroup, StatisticSnapshot

log = logging.getLogger(__name__)


SCRATCH = "stat_source"  # the temporary table one group's rows are materialised into


def _sql() -> dict[str, str]:
    """The write statements, with table and column names quoted for the current backend."""
    q = connection.ops.quote_name
    stat, snap, src = q(Statistic._meta.db_table), q(StatisticSnapshot._meta.db_table), q(SCRATCH)
    group, key, value, records, meta, at, date = map(q, ("group", "key", "value", "records", "meta",
                                                         "computed_at", "date"))
    return {
        # The group's rows, computed once: the upsert, the removal of vanished keys and the snapshot
        # all read them, and the GROUP BY itself is the expensive part.
        "materialise": f"CREATE TEMPORARY TABLE {src} AS {{source}}",
        "materialise_empty_meta": (
            f"CREATE TEMPORARY TABLE {src} AS SELECT s.stat_key, s.stat_value, s.stat_records, "
            f"{'JSONB_BUILD_OBJECT()' if connection.vendor == 'postgresql' else 'JSON_OBJECT()'} AS stat_meta "
            "FROM ({source}) s"
        ),
        # Compare and write, in two statements. New keys: a plain INSERT (no speculative insertion,
        # which costs PostgreSQL about half as much again per row). Changed figures: a join with the
        # stored rows keeps the unchanged ones out, so a recompute that changes nothing writes nothing
        # (no dead tuples, no index churn), and ON CONFLICT turns the rest into updates. Only this
        # task writes statistics, and the group's row lock serialises its runs.
        "insert": (
            f"INSERT INTO {stat} ({group}, {key}, {value}, {records}, {meta}, {at}) "
            f"SELECT %s, s.stat_key, s.stat_value, s.stat_records, s.stat_meta, %s FROM {src} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {stat} t WHERE t.{group} = %s AND t.{key} = s.stat_key)"
        ),
        "update": (
            f"INSERT INTO {stat} ({group}, {key}, {value}, {records}, {meta}, {at}) "
            f"SELECT %s, s.stat_key, s.stat_value, s.stat_records, s.stat_meta, %s FROM {src} s "
            f"JOIN {stat} t ON t.{group} = %s AND t.{key} = s.stat_key "
            f"WHERE t.{value} <> s.stat_value OR t.{records} <> s.stat_records OR t.{meta} <> s.stat_meta "
            f"ON CONFLICT ({group}, {key}) DO UPDATE SET {value} = excluded.{value}, "
            f"{records} = excluded.{records}, {meta} = excluded.{meta}, {at} = excluded.{at}"
        ),
        # Today's snapshot, the same two ways: the first run of a day inserts, the many incremental
        # runs after it only touch the figures that changed.
        "snapshot_insert": (
            f"INSERT INTO {snap} ({date}, {group}, {key}, {value}, {records}) "
            f"SELECT %s, %s, s.stat_key, s.stat_value, s.stat_records FROM {src} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {snap} p WHERE p.{date} = %s AND p.{group} = %s AND p.{key} = s.stat_key)"
        ),
        "snapshot_update": (
            f"INSERT INTO {snap} ({date}, {group}, {key}, {value}, {records}) "
            f"SELECT %s, %s, s.stat_key, s.stat_value, s.stat_records FROM {src} s "
            f"JOIN {snap} p ON p.{date} = %s AND p.{group} = %s AND p.{key} = s.stat_key "
            f"WHERE p.{value} <> s.stat_value OR p.{records} <> s.stat_records "
            f"ON CONFLICT ({date}, {group}, {key}) DO UPDATE SET {value} = excluded.{value}, "
            f"{records} = excluded.{records}"
        ),
        # After the inserts every source key is stored; more stored rows than source rows means keys
        # vanished. Counting first keeps the usual case (nothing vanished) free of anti-joins.
        # The last column counts the rows this run wrote: they, and only they, carry its timestamp.
        "counts": (
            f"SELECT (SELECT COUNT(*) FROM {src}), (SELECT COUNT(*) FROM {stat} WHERE {group} = %s), "
            f"(SELECT COUNT(*) FROM {snap} WHERE {date} = %s AND {group} = %s), "
            f"(SELECT COUNT(*) FROM {stat} WHERE {group} = %s AND {at} = %s)"
        ),
        # Only when keys vanished. The index keeps the anti-joins linear whatever plan the database
        # picks: with stale table statistics PostgreSQL may choose a nested loop over the scratch table.
        "index": f"CREATE INDEX {q(SCRATCH + '_key')} ON {src} (stat_key)",
        "drop": (
            f"DELETE FROM {stat} WHERE {group} = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {src} s WHERE s.stat_key = {stat}.{key})"
        ),
        "snapshot_drop": (
            f"DELETE FROM {snap} WHERE {date} = %s AND {group} = %s AND NOT EXISTS "
            f"(SELECT 1 FROM {src} s WHERE s.stat_key = {snap}.{key})"
        ),
        "cleanup": f"DROP TABLE {src}",
        # Before materialising: a scratch table left by a failed call outside a transaction (inside
        # one, the rollback removes it) must not make every later run fail on "already exists".
        "leftover": f"DROP TABLE IF EXISTS {src}",
    }


def _execute(cur: CursorWrapper, statements: list[tuple[str, list[Any]]]) -> None:
    """Run ``statements`` in order; the cursor then holds the last one's result.

    PostgreSQL gets them in one round trip (psycopg binds parameters on the client, so one ``execute``
    may carry several statements): on a busy server the round trips, not the work, are what a small
    group costs. SQLite runs one statement per ``execute``, and has no network to save.
    """
    if connection.vendor == "postgresql":
        cur.execute(";\n".join(sql for sql, _ in statements), [p for _, params in statements for p in params])
    else:
        for sql, params in statements:
            cur.execute(sql, params)


def write_group(group: str, source: Source) -> int:
    """Bring ``group``'s figures and today's snapshot in line with ``source``; returns the rows changed.

    Seven set-based statements (ten when keys vanished) whatever the number of rows, in two round trips
    on PostgreSQL. A figure's ``computed_at`` is when it got its current value; the group's
    ``StatisticGroup.computed_at`` is when all of them were last confirmed. Call inside the group's
    transaction (``recompute_group``): if anything fails, the rollback also removes the scratch table
    (DDL is transactional on PostgreSQL and SQLite).
    """
    sql = _sql()
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    today = ops.adapt_datefield_value(timezone.localdate())
    # The source's "%s" placeholders stay placeholders: its SQL is spliced in, its params passed on.
    materialise = sql["materialise" if source.meta else "materialise_empty_meta"].replace("{source}", source.sql)
    with connection.cursor() as cur:
        _execute(cur, [
            (sql["leftover"], []),
            (materialise, list(source.params)),
            (sql["insert"], [group, now, group]),
            (sql["update"], [group, now, group]),
            (sql["snapshot_insert"], [today, group, today, group]),
            (sql["snapshot_update"], [today, group, today, group]),
            (sql["counts"], [group, today, group, group, now]),
        ])
        fresh, stored, snapped, changed = cur.fetchone()
        if stored > fresh or snapped > fresh:
            cur.execute(sql["index"])
            cur.execute(sql["drop"], [group])
            changed += max(cur.rowcount, 0)
            cur.execute(sql["snapshot_drop"], [today, group])
        cur.execute(sql["cleanup"])
    return changed


def ensure_groups() -> None:
    """Create the freshness row of every group (dirty: never computed). Two queries when all exist."""
    have = set(StatisticGroup.objects.values_list("group", flat=True))
    missing = [StatisticGroup(group=g, dirty=True) for g in GROUPS if g not in have]
    if missing:
        StatisticGroup.objects.bulk_create(missing, ignore_conflicts=True)


def recompute_group(group: str) -> int:
    """Recompute one group's figures; returns the number of statistic rows written or removed."""
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

    One UPDATE, whatever the burst size: that is what makes 1,000 edits cost one run. It reports the
    flips itself (``RETURNING``, PostgreSQL and SQLite 3.35+): an edit that waited on the row lock of a
    running recompute sees the flag that run cleared, so it flips it again and queues another run. A
    group never computed yet is created dirty and left to the sweeper, as ``ensure_groups`` does.
    """
    names = [g for g in dict.fromkeys(groups) if g in GROUPS]
    if not names:
        return []
    q = connection.ops.quote_name
    dirty, since, edited, group = map(q, ("dirty", "dirty_since", "last_edit_at", "group"))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    marks = ", ".join(["%s"] * len(names))
    with connection.cursor() as cur:
        # A clean group (or a dirty one without a date) becomes dirty since now; one already dirty keeps
        # the time of its first edit. "dirty_since = now" afterwards therefore means "flipped here".
        cur.execute(
            f"UPDATE {q(StatisticGroup._meta.db_table)} SET {edited} = %s, "
            f"{since} = CASE WHEN {dirty} AND {since} IS NOT NULL THEN {since} ELSE %s END, {dirty} = %s "
            f"WHERE {group} IN ({marks}) RETURNING {group}, CASE WHEN {since} = %s THEN 1 ELSE 0 END",
            [now, now, True, *names, now],
        )
        rows = cur.fetchall()
    if len(rows) < len(names):
        ensure_groups()
        new = [g for g in names if g not in {r[0] for r in rows}]
        StatisticGroup.objects.filter(group__in=new).update(last_edit_at=timezone.now())
    flipped = {g for g, flip in rows if flip}
    return [g for g in names if g in flipped]
