"""Recent changes to an asset and its children, from django-simple-history.

One query for all eight history tables (asset, designations, targets, payloads, milestones,
clinical data): a UNION ALL of the newest rows of each table, capped per table, with the editors'
names joined once, so the asset page's change table costs one query whatever the data. "What
changed" is the list of fields that differ from the previous version of the same record when that
version is among the rows read; otherwise the row says "created"/"deleted" or lists no fields.

Why hand-built SQL rather than eight ORM querysets: on a cache miss the asset page spent more time
compiling and instantiating the eight history querysets (and waiting for eight round trips) than
PostgreSQL spent running them. The statement is built once per process from the models' metadata
(table and column names, never user input) and only the asset id is a parameter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import JSONField, Model
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from milestones.models.milestones import milestone_label
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Payload, Target

PER_TABLE = 40
SHOWN = 25
IGNORED = {"id", "history_id", "history_date", "history_change_reason", "history_type", "history_user",
           "history_user_id", "updated_at", "created_at", "version", "derived_at", "derived_dirty", "search_text"}
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
#: The tables read, in this order (it breaks ties between changes saved at the same instant, as the
#: per-table queries did), each with the column that ties its rows to the asset.
TABLES: list[tuple[type[Model], str]] = [
    (Asset, "id"), (AssetDesignation, "asset_id"), (AssetTarget, "asset_id"), (AssetPayload, "asset_id"),
    (Milestone, "asset_id"), (SafetyEvent, "asset_id"), (SafetyMeasure, "asset_id"), (EfficacyReadout, "asset_id"),
]
#: Leading columns of every row of the union: user name, table index, then the history columns.
_HEAD = ("username", "t", "history_date", "history_id", "history_type", "history_user_id", "id")


@dataclass
class Change:
    when: datetime
    who: str
    action: str
    what: str
    label: str
    fields: list[str] = field(default_factory=list)
    user_id: int | None = None  # the editor's id (None: a change made by the system)
    refers_to: tuple[str, int] | None = None  # ("target" | "payload", id) the label names by id


@dataclass(frozen=True)
class _Table:
    what: str  # the record kind shown ("milestone")
    columns: tuple[tuple[str, str], ...]  # the compared fields as (attname, column), in model order


@cache
def _statement(vendor: str) -> tuple[str, tuple[_Table, ...]]:
    """The union for this database vendor and what each table's columns are (built once per process)."""
    q = connection.ops.quote_name
    tables: list[_Table] = []
    branches = []
    for i, (model, key) in enumerate(TABLES):
        history = model.history.model  # type: ignore[attr-defined]
        fields = [f for f in history._meta.fields if f.attname not in IGNORED]
        tables.append(_Table(str(model._meta.verbose_name), tuple((f.attname, f.column) for f in fields)))
        # Each branch carries its compared columns as one JSON object, so one UNION carries tables of
        # different shapes. PostgreSQL turns the whole row into JSON (its planner took three times
        # longer over the same union with one cast column per field); elsewhere the columns are listed.
        if vendor == "postgresql":
            row = "to_jsonb(x)"
        else:
            pairs = [f"'{f.column}', " + (f"json({q(f.column)})" if isinstance(f, JSONField) else q(f.column))
                     for f in fields]
            row = f"json_object({', '.join(pairs)})"
        # The inner SELECT is wrapped so that ORDER BY/LIMIT apply per table on SQLite too.
        branches.append(f"SELECT * FROM (SELECT {i} AS t, {', '.join(q(c) for c in _HEAD[2:])}, {row} AS j "
                        f"FROM {q(history._meta.db_table)} x WHERE {q(key)} = %s "
                        f"ORDER BY {q('history_date')} DESC, {q('history_id')} DESC LIMIT {PER_TABLE}) h{i}")
    user = get_user_model()
    name = user._meta.get_field(user.USERNAME_FIELD).column
    sql = (f"SELECT u.{q(name)}, h.* FROM ({' UNION ALL '.join(branches)}) h "
           f"LEFT JOIN {q(user._meta.db_table)} u ON u.{q(user._meta.pk.column)} = h.{q('history_user_id')}")
    return sql, tuple(tables)


def _aware(value: datetime | str) -> datetime:
    """SQLite hands a datetime back as text when it comes through a UNION (no declared type)."""
    when = parse_datetime(value) if isinstance(value, str) else value
    assert when is not None
    return make_aware(when, UTC) if is_naive(when) else when


def recent_changes(asset: Asset) -> list[Change]:
    """The latest changes to ``asset`` and the records that belong to it, newest first."""
    sql, tables = _statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [asset.pk] * len(TABLES))
        rows = cursor.fetchall()
    # Per table, oldest first (so each row meets its predecessor): the order the per-table queries
    # produced, which the stable sort below keeps for changes saved at the same instant.
    rows.sort(key=lambda r: (r[1], _aware(r[2]), r[3]))
    changes: list[Change] = []
    older_of: dict[tuple[int, int], dict[str, Any]] = {}
    for username, t, when, _, kind, user_id, pk, row in rows:
        table = tables[t]
        # psycopg2 hands JSON back as text in Django (it turns off the driver's decoding); decimals
        # stay Decimal so that 0.1 and 0.10 compare as the model fields would.
        data = json.loads(row, parse_float=Decimal) if isinstance(row, str) else row
        values = {attname: data.get(column) for attname, column in table.columns}
        prev = older_of.get((t, pk))
        fields = _changed_fields(table, values, prev) if prev is not None and kind == "~" else []
        older_of[(t, pk)] = values
        label = str(asset.code) if TABLES[t][0] is Asset else _label(TABLES[t][0], pk, values)
        who = "system" if user_id is None else (username if username is not None else "deleted user")
        change = Change(_aware(when), who, ACTIONS.get(kind, kind), table.what, label, fields, user_id)
        change.refers_to = _refers_to(TABLES[t][0], values)
        changes.append(change)
    changes.sort(key=lambda c: c.when, reverse=True)
    shown = changes[:SHOWN]
    _name_arms(shown)
    return shown


def _refers_to(model: type[Model], values: dict[str, Any]) -> tuple[str, int] | None:
    """The target or payload a history row of an arm or payload link names by id."""
    if model is AssetTarget and values.get("target_id") is not None:
        return "target", int(values["target_id"])
    if model is AssetPayload and values.get("payload_id") is not None:
        return "payload", int(values["payload_id"])
    return None


def _name_arms(shown: list[Change]) -> None:
    """"arm 2: ERBB3" instead of "arm 2: target #7": the names of the targets and payloads that the
    shown rows refer to, one query per kind and only when such rows are shown (edits of an asset's
    arms are rare next to edits of its milestones)."""
    wanted: dict[str, set[int]] = {"target": set(), "payload": set()}
    for change in shown:
        if change.refers_to is not None:
            wanted[change.refers_to[0]].add(change.refers_to[1])
    names: dict[tuple[str, int], str] = {}
    if wanted["target"]:
        names.update((("target", pk), symbol) for pk, symbol in
                     Target.objects.filter(pk__in=wanted["target"]).values_list("pk", "symbol"))
    if wanted["payload"]:
        names.update((("payload", pk), name) for pk, name in
                     Payload.objects.filter(pk__in=wanted["payload"]).values_list("pk", "name"))
    for change in shown:
        if change.refers_to in names:
            kind, pk = change.refers_to
            change.label = change.label.replace(f"{kind} #{pk}", names[(kind, pk)])


def _changed_fields(table: _Table, newer: dict[str, Any], older: dict[str, Any]) -> list[str]:
    return [name.removesuffix("_id") for name, _ in table.columns if newer[name] != older[name]]


def _label(model: type[Model], pk: int, values: dict[str, Any]) -> str:
    """A short name for a historical child row (targets and payloads by id until ``_name_arms``)."""
    if model is AssetTarget:
        return f"arm {values['position']}: target #{values['target_id']}"
    if model is AssetPayload:
        return f"payload {values['position']}: payload #{values['payload_id']}"
    if model is Milestone:
        return milestone_label(values["kind"], values.get("phase") or "", values.get("agency") or "",
                               values.get("approval_type") or "")
    for attr in ("name", "term", "kind", "endpoint"):
        value = values.get(attr)
        if value:
            return str(value)
    return f"#{pk}"
