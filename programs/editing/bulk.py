"""Bulk writes of tracked records that keep what ``save()`` gives: history, version, and the dirty marks.

``QuerySet.bulk_create``/``bulk_update`` skip ``save()`` and send no ``post_save``, so a bulk writer
would silently lose the history rows, the version bump and the signals that queue the derived
recompute. These two helpers put them back in batch form:

- ``TrackedModel.before_write`` runs on every object (a milestone keeps its plan, as ``save`` does);
- history rows are written with django-simple-history's ``bulk_*_with_history`` (same user as a
  ``save`` in this request, via its middleware);
- an update bumps ``version`` and ``updated_at`` (``bulk_update`` does not run ``auto_now``);
- one ``bulk_saved`` signal per call tells the receivers (``programs.derivation.signals``,
  ``programs.readpath.data_version``) what was written, so they mark each asset dirty once, not once per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.dispatch import Signal
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from programs.models.base import TrackedModel

T = TypeVar("T", bound=TrackedModel)

#: Sent after a bulk write; ``sender`` is the model, ``instances`` the written objects (with their
#: primary keys), ``created`` True for inserts.
bulk_saved = Signal()


def create_with_history(model: type[T], objs: Sequence[T]) -> list[T]:
    """Insert ``objs`` with their ``+`` history rows; returns them with primary keys set."""
    if not objs:
        return []
    for obj in objs:
        obj.before_write()
    saved: list[T] = bulk_create_with_history(list(objs), model)
    bulk_saved.send(sender=model, instances=saved, created=True)
    return saved


def update_with_history(model: type[T], objs: Sequence[T], fields: Sequence[str]) -> int:
    """Write ``fields`` of ``objs`` (already in the database) with their ``~`` history rows."""
    if not objs:
        return 0
    now = timezone.now()
    for obj in objs:
        obj.before_write()
        obj.version += 1
        obj.updated_at = now
    count: int = bulk_update_with_history(list(objs), model, [*dict.fromkeys([*fields, "version", "updated_at"])])
    bulk_saved.send(sender=model, instances=list(objs), created=False)
    return count
