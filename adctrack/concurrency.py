"""Version-checked saves: the database, not Python, decides who wins a race.

``update_if_version`` is one conditional UPDATE (``... WHERE pk = %s AND version = %s``). Two
editors who both read version 3 both send it; the database serializes the two UPDATEs on the row
lock, the second finds version 4 and matches nothing, so exactly one wins and the loser is told
(False) instead of silently overwriting. No SELECT ... FOR UPDATE and no lock held across the user's
think time.

Caveat: an UPDATE bypasses ``save()`` and therefore signals and simple_history; callers that need
a history row write it (``model.history``) or use the editor forms' own version check.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone


def update_if_version(model: type[models.Model], pk: Any, expected_version: int, **changes: Any) -> bool:
    """Apply ``changes`` to row ``pk`` only if its version is still ``expected_version``; True if applied.

    Bumps ``version`` and ``updated_at`` in the same statement. One query.
    """
    if "version" in changes:
        raise ValueError("version is managed here; pass the version you read as expected_version")
    extra: dict[str, Any] = {"version": F("version") + 1}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        extra["updated_at"] = timezone.now()
    updated = model._base_manager.filter(pk=pk, version=expected_version).update(**changes, **extra)
    return updated == 1
