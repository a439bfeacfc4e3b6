"""A counter that moves whenever curated data changes, so cached pages and facet counts can key on it.

Every save or delete of curated data (a ``TrackedModel``, or a target pair) bumps it (signal handlers
connected in ``ProgramsConfig.ready``); job records, statistics and export logs do not, or every
sweep of the stats job would empty the page cache. The derived recompute bumps it itself, bulk
writers that bypass signals (``programs.generation``) call ``bump``, and ``programs.editing.bulk`` sends
``bulk_saved``, connected here too.

It lives in the cache (``adctrack.cache.VersionCounter``), so it never goes backwards: a Redis that
restarts, is flushed or evicts the key starts it again above every value it had. While Redis is
unreachable ``current`` is None (callers then cache nothing) and a move cannot be recorded; when
Redis answers again (``cache_recovered``) the version moves, so pages cached before the outage are
never read after edits made during it. Moving it never raises: a saved edit stays saved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

from adctrack.cache import VersionCounter, cache_recovered

KEY = "adctrack:data-version"
_counter = VersionCounter(KEY)


def current() -> int | None:
    """The data version; None while the cache is unavailable (then nothing may be cached under it)."""
    return _counter.current()


def _incr() -> None:
    _counter.advance()


#: Sent once a move of the version is visible to every reader (after commit). The facet counts
#: connect to it (``programs.readpath.facets.connect``) to queue their recount: a signal, because the
#: facets read this module and must not be imported by it.
version_moved = Signal()


def _queue_warm() -> None:
    version_moved.send(sender=None)


def _committed() -> None:
    """The change is visible to every reader: move the version and have the plain list recounted."""
    _incr()
    _queue_warm()


def bump(*_args: Any, **_kwargs: Any) -> None:
    """Move the version now, and again when the surrounding transaction commits.

    The first move makes the writer's own reads (and tests, whose transactions never commit) miss
    the cache; the second throws away anything a concurrent reader cached from the not yet
    committed state under the first new version, and queues the plain list's facet recount
    (``programs.readpath.facets.queue_warm``).
    """
    _incr()
    if transaction.get_connection().in_atomic_block:
        # robust: whatever goes wrong after the commit, the edit is saved and must not answer an error.
        transaction.on_commit(_committed, robust=True)
    else:
        _queue_warm()


def _cache_recovered(*_args: Any, **_kwargs: Any) -> None:
    """Redis is back: edits made while it was away could not move the version, so move it now."""
    _incr()


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from programs.editing.bulk import bulk_saved

    bulk_saved.connect(bump, dispatch_uid="data-version-bulk")
    cache_recovered.connect(_cache_recovered, dispatch_uid="data-version-cache-recovered")

    from programs.models import TargetPair
    from programs.models.base import TrackedModel

    for label in ("programs", "milestones"):
        for model in apps.get_app_config(label).get_models():
            if not (issubclass(model, TrackedModel) or model is TargetPair):
                continue
            post_save.connect(bump, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
