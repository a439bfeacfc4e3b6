"""The one hook edits call: ``asset_changed(asset_id)`` marks the asset dirty and queues its recompute.

Coalescing: an asset's ``derived_dirty`` flag (and each statistics group's ``dirty`` flag) flips
False -> True once per burst; only the flip queues a task, after commit. The task clears the flag
before computing, so an edit made while it runs queues one more run. A burst of 1,000 edits to one
asset therefore costs one run (or a few when the worker keeps up with the burst).

Nothing is lost when the broker is down: enqueuing happens in ``transaction.on_commit``, a broker
error is logged and swallowed (the edit is already committed), and the dirty flags stay set for the
sweeper (``programs.tasks.sweep_dirty``, every minute under beat) to queue once the broker is back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from celery import Task
from django.db import transaction

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
    try:
        task.apply_async(args=list(args))
    except Exception:  # kombu.exceptions.OperationalError, redis errors, OSError, an eager task's error
        log.exception("Could not run/queue %s%r; the dirty flag stays set for the sweeper", task.name, args)
        return False
    return True


def send_on_commit(task: Task, *args: Any) -> None:
    """Queue ``task`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(send, task, *args))


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
