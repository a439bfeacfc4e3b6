"""The hook the signal receivers call on every edit: ``asset_changed(asset_id)`` marks the asset dirty
and queues its recompute (``programs.derivation.signals`` connects it to every model an asset's facts
come from).

Coalescing: an asset's ``derived_dirty`` flag (and each statistics group's ``dirty`` flag) flips
False -> True once per burst; only the flip queues a task, after commit. The task clears the flag
before computing, so an edit made while it runs queues one more run. A burst of 1,000 edits to one
asset therefore costs one run (or a few when the worker keeps up with the burst).

Nothing is lost when the broker is down: tasks are queued by name through ``programs.jobs`` in
``transaction.on_commit``; a broker error is logged and swallowed (the edit is already committed),
and the dirty flags stay set for the sweeper (``programs.tasks.sweep_dirty``, every minute under
beat) to queue once the broker is back.

One recompute per import: an import that commits many small transactions (``import_ctgov``: one per
study, so a bad record writes nothing and the rest still import) runs them inside ``recompute_once()``.
The dirty flags are still set in each transaction (a crash mid-import leaves them for the sweeper), but
the tasks those commits would queue are collected and sent once, when the block ends: one
``recompute_assets`` for every asset touched and one ``recompute_stats`` for every group, instead of a
recompute and a statistics run per study. What a rolled-back transaction would have queued is dropped
with it (the collection happens in ``on_commit``).

Derivation plumbing: it must not import the task module (``programs.tasks`` registers the tasks in
``programs.jobs``), views, forms or the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from celery import Task
from django.db import transaction

from programs import jobs
from programs.derivation.stats.compute import mark_groups_dirty
from programs.derivation.stats.groups import MODEL_GROUPS
from programs.models import Asset

#: Asset ids per task (the sweeper's and a bulk write's batch size); ``programs.tasks`` uses it too.
SWEEP_BATCH = 1000

@dataclass
class _Batch:
    """The tasks the committed transactions of one ``recompute_once()`` block asked for, coalesced."""

    assets: set[int] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    others: list[tuple[Task, tuple[Any, ...]]] = field(default_factory=list)

    def add(self, task: Task, args: tuple[Any, ...]) -> None:
        if task is jobs.lookup("recompute_asset"):
            self.assets.add(args[0])
        elif task is jobs.lookup("recompute_assets"):
            self.assets.update(args[0])
        elif task is jobs.lookup("recompute_stats"):
            self.groups.update(args[0])
        else:
            self.others.append((task, args))

    def flush(self) -> None:
        """Send what was collected: the assets first, so the statistics read their new derived facts."""
        recompute_assets, recompute_stats = jobs.lookup("recompute_assets"), jobs.lookup("recompute_stats")
        ids = sorted(self.assets)
        # Run eagerly (no broker), the recompute marks the groups its derived changes feed: collect those
        # too, so the statistics run once for the import. With a broker it runs later, on a worker.
        after = _Batch()
        with jobs.collecting(after.add):
            for start in range(0, len(ids), SWEEP_BATCH):
                jobs.send(recompute_assets, ids[start : start + SWEEP_BATCH])
        groups = self.groups | after.groups
        if after.assets:
            self.others.append((recompute_assets, (sorted(after.assets),)))
        self.others += after.others
        if groups:
            jobs.send(recompute_stats, sorted(groups))
        for task, args in self.others:
            jobs.send(task, *args)
        self.assets, self.groups, self.others = set(), set(), []


@contextmanager
def recompute_once() -> Iterator[None]:
    """Collect the recomputes the transactions committed inside this block queue; send them once at its end.

    Also at an error's end: what committed before it is recomputed. Nested blocks join the outermost.
    Inside an outer transaction the collected tasks are sent when that one commits (or dropped with it).
    """
    if jobs.collecting_into() is not None:
        yield
        return
    batch = _Batch()
    try:
        with jobs.collecting(batch.add):
            yield
    finally:
        # Registered last, so it runs after the collecting callbacks of an enclosing transaction.
        transaction.on_commit(batch.flush)


def stats_changed(groups: Iterable[str]) -> list[str]:
    """Mark statistics groups edited; queue one recompute for those that were clean."""
    flipped = mark_groups_dirty(groups)
    if flipped:
        jobs.send_on_commit("recompute_stats", flipped)
    return flipped


def asset_changed(asset_id: int, groups: Iterable[str] | None = None, *, force: bool = False) -> bool:
    """Mark an asset's derived facts (and the statistics groups of the edit) dirty; queue the recompute.

    ``groups`` defaults to every group an asset edit can touch. ``force`` queues even when the flag
    was already set (a new asset is born dirty). Returns True when a recompute was queued.
    """
    flipped = Asset.objects.filter(pk=asset_id, derived_dirty=False).update(derived_dirty=True)
    stats_changed(MODEL_GROUPS["programs.asset"] if groups is None else groups)
    if flipped or force:
        jobs.send_on_commit("recompute_asset", asset_id)
        return True
    return False


#: Asset ids per IN (...) query: under SQLite's 999-parameter limit.
_ID_CHUNK = 500


def assets_changed(asset_ids: Iterable[int], groups: Iterable[str] | None = None) -> list[int]:
    """``asset_changed`` for many assets at once (a bulk write): a few queries per 500 assets, not per row.

    Marks the assets dirty and the statistics groups edited; the assets whose flag flipped are queued
    in batches of ``SWEEP_BATCH`` (``recompute_assets``), so 10,000 imported rows of 500 assets cost one
    task, not 10,000. Returns the ids queued.
    """
    ids = sorted(set(asset_ids))
    flipped: list[int] = []
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start : start + _ID_CHUNK]
        clean = list(Asset.objects.filter(pk__in=chunk, derived_dirty=False).values_list("pk", flat=True))
        if clean:
            # A concurrent writer may flip some of them between the two queries: both then queue the
            # asset, which costs one extra (idempotent) recompute and loses nothing.
            Asset.objects.filter(pk__in=clean).update(derived_dirty=True)
            flipped += clean
    if ids:
        stats_changed(MODEL_GROUPS["programs.asset"] if groups is None else groups)
    for start in range(0, len(flipped), SWEEP_BATCH):
        jobs.send_on_commit("recompute_assets", flipped[start : start + SWEEP_BATCH])
    return flipped
