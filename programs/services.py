"""The hook the signal receivers call on every edit: ``asset_changed(asset_id)`` marks the asset dirty
and queues its recompute (``programs.signals`` connects it to every model an asset's facts come from).

Coalescing: an asset's ``derived_dirty`` flag (and each statistics group's ``dirty`` flag) flips
False -> True once per burst; only the flip queues a task, after commit. The task clears the flag
before computing, so an edit made while it runs queues one more run. A burst of 1,000 edits to one
asset therefore costs one run (or a few when the worker keeps up with the burst).

Nothing is lost when the broker is down: enqueuing happens in ``transaction.on_commit``, a broker
error is logged and swallowed (the edit is already committed), and the dirty flags stay set for the
sweeper (``programs.tasks.sweep_dirty``, every minute under beat) to queue once the broker is back.
The broker is the cache's Redis (``REDIS_URL``): while the cache has found it unreachable
(``adctrack.cache``), nothing is even tried, so a save does not wait on a dead broker.

No lost updates: ``save_if_unchanged`` claims the row with a conditional UPDATE on ``version``, so of
two concurrent saves that read the same version exactly one wins; the loser gets ``VersionConflict``
with what changed meanwhile. Shared by the editor views, the CSV import and the API.

One recompute per import: an import that commits many small transactions (``import_ctgov``: one per
study, so a bad record writes nothing and the rest still import) runs them inside ``recompute_once()``.
The dirty flags are still set in each transaction (a crash mid-import leaves them for the sweeper), but
the tasks those commits would queue are collected and sent once, when the block ends: one
``recompute_assets`` for every asset touched and one ``recompute_stats`` for every group, instead of a
recompute and a statistics run per study. What a rolled-back transaction would have queued is dropped
with it (the collection happens in ``on_commit``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from celery import Task
from django.db import models, transaction
from django.db.models import F
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from adctrack.cache import available as cache_available
from programs.models import Asset
from programs.stats.compute import mark_groups_dirty
from programs.stats.groups import MODEL_GROUPS

log = logging.getLogger(__name__)


def send(task: Task, *args: Any) -> bool:
    """Queue ``task`` now; on a broker error log it and return False (the dirty flag stays set).

    Runs inside ``on_commit`` callbacks, after the edit committed: raising here would turn a saved
    edit into an error page, so every failure is logged instead. In eager mode (no REDIS_URL) the
    task runs right here; its failures are logged the same way and its flags stay dirty.
    """
    eager = bool(task.app.conf.task_always_eager)
    if not eager and not cache_available():
        log.debug("Redis is unreachable: %s%r not queued; the dirty flag stays set for the sweeper", task.name, args)
        return False
    try:
        task.apply_async(args=list(args))
    except (KombuError, RedisError, OSError) as exc:  # the broker: one line, no traceback per edit
        log.warning("Could not queue %s%r (%s); the dirty flag stays set for the sweeper", task.name, args, exc)
        return False
    except Exception:  # an eager task's own error: a bug, keep its traceback
        log.exception("Could not run/queue %s%r; the dirty flag stays set for the sweeper", task.name, args)
        return False
    return True


def send_on_commit(task: Task, *args: Any) -> None:
    """Queue ``task`` once the current transaction commits (at once outside a transaction).

    Inside ``recompute_once()`` the task is collected on commit instead, and sent when the block ends.
    """
    batch = _batch.get()
    if batch is not None:
        transaction.on_commit(partial(batch.add, task, args))
    else:
        transaction.on_commit(partial(send, task, *args))


@dataclass
class _Batch:
    """The tasks the committed transactions of one ``recompute_once()`` block asked for, coalesced."""

    assets: set[int] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    others: list[tuple[Task, tuple[Any, ...]]] = field(default_factory=list)

    def add(self, task: Task, args: tuple[Any, ...]) -> None:
        from programs.tasks import recompute_asset, recompute_assets, recompute_stats

        if task is recompute_asset:
            self.assets.add(args[0])
        elif task is recompute_assets:
            self.assets.update(args[0])
        elif task is recompute_stats:
            self.groups.update(args[0])
        else:
            self.others.append((task, args))

    def flush(self) -> None:
        """Send what was collected: the assets first, so the statistics read their new derived facts."""
        from programs.tasks import SWEEP_BATCH, recompute_assets, recompute_stats

        ids = sorted(self.assets)
        # Run eagerly (no broker), the recompute marks the groups its derived changes feed: collect those
        # too, so the statistics run once for the import. With a broker it runs later, on a worker.
        after = _Batch()
        token = _batch.set(after)
        try:
            for start in range(0, len(ids), SWEEP_BATCH):
                send(recompute_assets, ids[start : start + SWEEP_BATCH])
        finally:
            _batch.reset(token)
        groups = self.groups | after.groups
        if after.assets:
            self.others.append((recompute_assets, (sorted(after.assets),)))
        self.others += after.others
        if groups:
            send(recompute_stats, sorted(groups))
        for task, args in self.others:
            send(task, *args)
        self.assets, self.groups, self.others = set(), set(), []


_batch: ContextVar[_Batch | None] = ContextVar("recompute_batch", default=None)


@contextmanager
def recompute_once() -> Iterator[None]:
    """Collect the recomputes the transactions committed inside this block queue; send them once at its end.

    Also at an error's end: what committed before it is recomputed. Nested blocks join the outermost.
    Inside an outer transaction the collected tasks are sent when that one commits (or dropped with it).
    """
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
        # Registered last, so it runs after the collecting callbacks of an enclosing transaction.
        transaction.on_commit(batch.flush)


def stats_changed(groups: Iterable[str]) -> list[str]:
    """Mark statistics groups edited; queue one recompute for those that were clean."""
    from programs.tasks import recompute_stats

    flipped = mark_groups_dirty(groups)
    if flipped:
        send_on_commit(recompute_stats, flipped)
    return flipped


def asset_changed(asset_id: int, groups: Iterable[str] | None = None, *, force: bool = False) -> bool:
    """Mark an asset's derived facts (and the statistics groups of the edit) dirty; queue the recompute.

    ``groups`` defaults to every group an asset edit can touch. ``force`` queues even when the flag
    was already set (a new asset is born dirty). Returns True when a recompute was queued.
    """
    from programs.tasks import recompute_asset

    flipped = Asset.objects.filter(pk=asset_id, derived_dirty=False).update(derived_dirty=True)
    stats_changed(MODEL_GROUPS["programs.asset"] if groups is None else groups)
    if flipped or force:
        send_on_commit(recompute_asset, asset_id)
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
    from programs.tasks import SWEEP_BATCH, recompute_assets

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
        send_on_commit(recompute_assets, flipped[start : start + SWEEP_BATCH])
    return flipped


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


class VersionConflict(Exception):
    """The record moved on since the editor read it; ``changes`` says what changed meanwhile."""

    def __init__(
        self, instance: models.Model, read_version: int, current_version: int | None, changes: list[FieldChange]
    ) -> None:
        self.instance = instance
        self.read_version = read_version
        self.current_version = current_version
        self.changes = changes
        if current_version is None:
            text = "This record was deleted meanwhile."
        else:
            what = "; ".join(f"{c.field}: {c.old!r} → {c.new!r}" for c in changes) or "no field shown"
            text = (
                f"Someone saved this record meanwhile (version {read_version} → {current_version}). "
                f"Changed meanwhile: {what}. Review and save again."
            )
        super().__init__(text)
        self.message = text


def changes_since(instance: models.Model, read_version: int) -> list[FieldChange]:
    """Field differences between the history row at ``read_version`` and the newest one.

    Two queries on the historical table; empty when the history of the read version is missing.
    """
    history = instance.history  # type: ignore[attr-defined]
    old = history.filter(version=read_version).order_by("-history_id").first()
    new = history.order_by("-history_id").first()
    if old is None or new is None or old.pk == new.pk:
        return []
    skip = {"version", "updated_at"}
    return [FieldChange(c.field, c.old, c.new) for c in new.diff_against(old).changes if c.field not in skip]


def save_if_unchanged(instance: models.Model, read_version: int, save: Callable[[], Any] | None = None) -> Any:
    """Save ``instance`` only if its row still has ``read_version``; raise ``VersionConflict`` otherwise.

    Claims the row with ``UPDATE ... SET version = version + 1 WHERE pk = ? AND version = ?`` inside a
    transaction (a row lock on PostgreSQL, the write lock on SQLite), then runs ``save`` (default
    ``instance.save``; pass ``form.save`` to save m2m too). ``TrackedModel.save`` bumps the version
    it was given, so the row ends at ``read_version + 1`` and history records that version.
    """
    model = type(instance)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=instance.pk, version=read_version).update(version=F("version") + 1)
        if claimed != 1:
            current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
            raise VersionConflict(instance, read_version, current, changes_since(instance, read_version))
        instance.version = read_version  # type: ignore[attr-defined]
        return (save or instance.save)()
