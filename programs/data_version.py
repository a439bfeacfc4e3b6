"""A counter that moves whenever tracked data changes, so cached aggregates (facet counts) can key on it.

Every save or delete of a programmes/milestones model bumps it (signal handlers connected in
``ProgramsConfig.ready``); bulk writers that bypass signals (``programs.generation``) call ``bump``;
``programs.bulk`` sends ``bulk_saved``, connected here too.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

KEY = "adctrack:data-version"


def current() -> int:
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, 1, timeout=None)
        value = cache.get(KEY) or 1
    return int(value)


def bump(*_args: Any, **_kwargs: Any) -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # not set yet
        cache.set(KEY, 2, timeout=None)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from programs.bulk import bulk_saved

    bulk_saved.connect(bump, dispatch_uid="data-version-bulk")

    for label in ("programs", "milestones"):
        for model in apps.get_app_config(label).get_models():
            post_save.connect(bump, sender=model, dispatch_uid=f"data-version-save-{model._meta.label}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"data-version-delete-{model._meta.label}")
