"""Queue background work by name, from any layer, without importing the task modules.

Why: the layers that must trigger work (the data version moving warms the facet counts, an edit
marks an asset dirty, an export request builds its file) sit below the Celery task module
(``programs.tasks``, an entry point), which imports them. Importing the tasks back would close an
import circle, so the task module registers each task here under a short name (``@jobs.provide``,
run when ``ProgramsConfig.ready`` imports ``programs.tasks``) and the lower layers ``send`` by name.

Nothing is lost when the broker is down: ``send`` runs inside ``transaction.on_commit`` callbacks,
after the edit committed; a broker error is logged and swallowed (the edit stays saved) and returns
False, so the caller's dirty flags stay set for the sweeper (``programs.tasks.sweep_dirty``). While
the cache has found Redis unreachable (``adctrack.cache``) nothing is even tried, so a save does not
wait on a dead broker. In eager mode (no REDIS_URL) the task runs right here; its failures are
logged the same way.

``collecting(add)`` lets a caller gather what committed transactions would queue instead of sending
it (``programs.derivation.queue.recompute_once`` coalesces an import's recomputes that way).

This module knows no task and no model: it must not import ``programs.tasks`` or anything above
the vocabulary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar

from celery import Task
from django.db import transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from adctrack.cache import available as cache_available

log = logging.getLogger(__name__)

T = TypeVar("T", bound=Task)

_provided: dict[str, Task] = {}

#: What ``send_on_commit`` calls instead of ``send`` inside ``collecting()``: ``add(task, args)``.
Collector = Callable[[Task, tuple[Any, ...]], None]
_collector: ContextVar[Collector | None] = ContextVar("jobs_collector", default=None)


def provide(name: str) -> Callable[[T], T]:
    """Register a Celery task under ``name`` (a decorator for the task module)."""

    def register(task: T) -> T:
        _provided[name] = task
        return task

    return register


def lookup(name: str) -> Task:
    """The task registered as ``name``; a clear error when the task module was never loaded."""
    try:
        return _provided[name]
    except KeyError:
        raise LookupError(
            f"No job named {name!r} is registered; programs.tasks registers them when the app is ready"
        ) from None


def send(task: Task | str, *args: Any) -> bool:
    """Queue ``task`` now; on a broker error log it and return False (the caller's dirty flag stays set)."""
    if isinstance(task, str):
        task = lookup(task)
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


def send_on_commit(task: Task | str, *args: Any) -> None:
    """Queue ``task`` once the current transaction commits (at once outside a transaction).

    Inside ``collecting(add)`` the task is handed to ``add`` on commit instead.
    """
    if isinstance(task, str):
        task = lookup(task)
    collector = _collector.get()
    if collector is not None:
        transaction.on_commit(partial(collector, task, args))
    else:
        transaction.on_commit(partial(_send_module_level, task, *args))


def _send_module_level(task: Task, *args: Any) -> bool:
    # Looked up at call time, so a test that wraps ``jobs.send`` sees every send.
    return send(task, *args)


def collecting_into() -> Collector | None:
    """The active collector, if any (nested ``collecting`` blocks join the outermost)."""
    return _collector.get()


@contextmanager
def collecting(add: Collector) -> Iterator[None]:
    """Inside this block, ``send_on_commit`` hands committed tasks to ``add`` instead of sending them."""
    token = _collector.set(add)
    try:
        yield
    finally:
        _collector.reset(token)
