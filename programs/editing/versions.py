"""No lost updates: ``save_if_unchanged`` saves a record only if nobody saved it since the editor read it.

It claims the row with a conditional UPDATE on ``version``, so of two concurrent saves that read the
same version exactly one wins; the loser gets ``VersionConflict`` with what changed meanwhile (read
from django-simple-history). Shared by the editor views, the CSV import and the API.

Editing plumbing only: it must not queue work or import derivation, views or forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import F


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
