"""Recent changes to an asset and its children, from django-simple-history.

One query per history table (asset, designations, targets, payloads, milestones, clinical data),
each capped, so the asset page's change table costs a fixed number of queries. "What changed" is
the list of fields that differ from the previous version of the same record when that version is
among the rows read; otherwise the row says "created"/"deleted" or lists no fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget

PER_TABLE = 40
SHOWN = 25
IGNORED = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
           "history_user_id", "updated_at", "created_at", "version", "derived_at", "derived_dirty", "search_text"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    what: str
    label: str
    fields: list[str] = field(default_factory=list)
    user_id: int | None = None  # who, until the names are read (once, for the rows shown)


def _changed_fields(newer: Any, older: Any) -> list[str]:
    names = [f.attname for f in newer._meta.fields if f.attname not in IGNORED]
    return [n.removesuffix("_id") for n in names if getattr(newer, n) != getattr(older, n)]


def recent_changes(asset: Asset) -> list[Change]:
    """The latest changes to ``asset`` and the records that belong to it, newest first."""
    tables: list[tuple[type[Model], dict[str, Any]]] = [
        (Asset, {"id": asset.pk}),
        (AssetDesignation, {"asset_id": asset.pk}),
        (AssetTarget, {"asset_id": asset.pk}),
        (AssetPayload, {"asset_id": asset.pk}),
        (Milestone, {"asset_id": asset.pk}),
        (SafetyEvent, {"asset_id": asset.pk}),
        (SafetyMeasure, {"asset_id": asset.pk}),
        (EfficacyReadout, {"asset_id": asset.pk}),
    ]
    # select_related("history_user") would add a join to each of the eight queries (and PostgreSQL
    # plans every join); the few user names are read once at the end instead.
    changes: list[Change] = []
    for model, where in tables:
        rows = list(model.history.filter(**where).order_by("-history_date", "-history_id")[:PER_TABLE])
        older_of: dict[int, Any] = {}
        for row in reversed(rows):  # oldest first, so each row meets its predecessor
            prev = older_of.get(row.id)
            fields = _changed_fields(row, prev) if prev is not None and row.history_type == "~" else []
            older_of[row.id] = row
            label = str(asset.code) if model is Asset else _label(model, row)
            changes.append(Change(row.history_date, "system", ACTIONS.get(row.history_type, row.history_type),
                                  str(model._meta.verbose_name), label, fields, row.history_user_id))
    changes.sort(key=lambda c: c.when, reverse=True)
    shown = changes[:SHOWN]
    wanted = {c.user_id for c in shown if c.user_id is not None}
    if wanted:
        names = dict(get_user_model().objects.filter(pk__in=wanted).values_list("pk", "username"))
        for c in shown:
            if c.user_id is not None:
                c.who = names.get(c.user_id, "deleted user")
    return shown


def _label(model: type[Model], row: Any) -> str:
    """A short name for a historical child row that needs no further query."""
    if model is AssetTarget:
        return f"arm {row.position}: target #{row.target_id}"
    for attr in ("name", "term", "kind", "endpoint"):
        value = getattr(row, attr, None)
        if value:
            return str(value)
    return f"#{row.id}"
