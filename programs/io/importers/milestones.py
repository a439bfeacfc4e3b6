"""Milestones import: upsert by the natural key (asset, kind, agency, indication, phase, trial id, date).

Two approvals of one asset on one day for two indications are two records; a key that appears twice
in one file is written once, with its last values, and the report says so (dry run included).

Batched (see ``base``): every row is parsed and validated against in-memory lookups (the named assets'
milestones, sources, indications) without a query, and a real run writes the planned rows at the end
with bulk inserts and updates (history included, ``programs.editing.bulk``). A file of 10,000 rows costs a few
hundred queries, not tens of thousands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from milestones.models import Milestone
from milestones.models.trials import TrialRegistryId, normalize_registry_id
from milestones.vocab import KIND_APPROVAL_TYPES, Agency, ApprovalType, MilestoneKind, MilestoneStatus, Outcome
from programs.editing.bulk import create_with_history, update_with_history
from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Indication
from programs.text import normalize_name
from programs.vocab import Phase

Key = tuple[int, str, str, "int | str | None", str, str, "dt.date | None"]

#: The columns an import writes on an existing milestone (``before_write`` may fill the plan).
_UPDATE_FIELDS = ("status", "date_precision", "source", "planned_date", "planned_precision", "approval_type",
                  "outcome", "notes", "trial_record")
_ID_CHUNK = 500  # asset ids per IN (...): under SQLite's 999-parameter limit


class MilestoneImporter(Importer):
    table = "milestones"
    required = ("asset", "kind", "date", "source_url")
    batched = True

    def load(self) -> None:
        super().load()
        self.indications: dict[str, Indication] = {i.name.lower(): i for i in Indication.objects.all()}
        self.existing: dict[Key, Milestone] = {}
        self.by_asset: dict[int, list[Milestone]] = {}
        # Planned writes, in file order; a key imported twice is written once, with its last values.
        self.to_create: dict[Key, Milestone] = {}
        self.to_update: dict[int, Milestone] = {}
        self.seen: dict[Key, int] = {}  # key -> the file row that first named it

    def prefetch(self, rows: list[dict[str, str]]) -> None:
        """The milestones of the assets the file names (not the whole table): upsert keys and siblings."""
        ids = sorted({self.assets_by_name[k] for k in (normalize_name(r.get("asset", "")) for r in rows)
                      if k in self.assets_by_name})
        for start in range(0, len(ids), _ID_CHUNK):
            for m in Milestone.objects.filter(asset_id__in=ids[start:start + _ID_CHUNK]).order_by("pk"):
                self.existing[(m.asset_id, m.kind, m.agency, m.indication_id, m.phase, m.trial_id, m.date)] = m
                self.by_asset.setdefault(m.asset_id, []).append(m)
        # The trials the file's ids name (one query per chunk): each milestone links to its Trial record.
        wanted: set[str] = set()
        for r in rows:
            try:
                wanted.add(self.trial_id(r.get("trial_id", "")))
            except CellError:
                continue  # the row reports it
        wanted.discard("")
        values = sorted(wanted)
        self.trials: dict[str, int] = {}
        for start in range(0, len(values), _ID_CHUNK):
            self.trials.update(TrialRegistryId.objects.filter(value__in=values[start:start + _ID_CHUNK])
                               .values_list("value", "trial_id"))

    def indication(self, name: str) -> Indication | None:
        """The indication of this name (case-insensitive); a new one is written by ``flush``."""
        name = self.fits("indication", Indication, "name", " ".join(name.split()))
        if not name:
            return None
        found = self.indications.get(name.lower())
        if found is None:
            found = self.indications[name.lower()] = Indication(name=name)
        return found

    @staticmethod
    def trial_id(text: str) -> str:
        """The first registry id of a ``;``-separated list (one trial), normalised; the others name the
        same trial and are the trials import's business."""
        ids: list[str] = []
        for value in (t.strip() for t in text.split(";")):
            if not value:
                continue
            try:
                ids.append(normalize_registry_id(value)[1])
            except ValueError as exc:
                raise CellError("trial_id", str(exc)) from exc
        return ids[0] if ids else ""

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        asset_id = self.asset_id("asset", row["asset"])
        kind = self.choice("kind", MilestoneKind, row["kind"])
        # "accelerated approval" is kind approval with approval type accelerated.
        implied_type = KIND_APPROVAL_TYPES.get(" ".join(row["kind"].lower().split()), "")
        agency = self.choice("agency", Agency, row["agency"], default="") if row["agency"] else ""
        when = self.date("date", row["date"])
        phase = self.choice("phase", Phase, row["phase"], default="")
        trial_id = self.trial_id(row["trial_id"])
        indication = self.indication(row["indication"])
        approval_type = self.choice("approval_type", ApprovalType, row.get("approval_type", ""), default="")
        if implied_type and approval_type and approval_type != implied_type:
            raise CellError("approval_type", f"contradicts the kind ({row['kind'][:40]!r}).")
        approval_type = approval_type or implied_type
        # A new indication is not written yet: key it by its (lower-case) name until it is.
        ind_key: int | str | None = None if indication is None else (indication.pk or indication.name.lower())
        key: Key = (asset_id, kind, agency, ind_key, phase, trial_id, when.date)
        values: dict[str, Any] = {
            "status": self.choice("status", MilestoneStatus, row["status"], default=MilestoneStatus.OCCURRED),
            "date_precision": when.precision,
            "approval_type": approval_type,
            "outcome": self.choice("outcome", Outcome, row.get("outcome", ""), default=""),
        }
        if row.get("notes", "").strip():
            values["notes"] = row["notes"].strip()
        source = self.source("source_url", row["source_url"], row["source_title"])
        label = " ".join(b for b in (row["asset"], kind, agency, indication.name if indication else "", phase,
                                     trial_id, when.iso()) if b)
        if key in self.seen:
            self.report.warnings.append(
                f"row {self.row_number}: the same event as row {self.seen[key]} ({label}); written once, with the "
                "values of the last row."
            )
        else:
            self.seen[key] = self.row_number
        milestone = self.existing.get(key)
        created = milestone is None
        if milestone is None:
            milestone = Milestone(asset_id=asset_id, kind=kind, agency=agency, date=when.date, phase=phase,
                                  trial_id=trial_id)
        before = {f: getattr(milestone, f) for f in (*values, "source_id", "indication_id")}
        changed = self.apply(milestone, values)
        changed = self.relate(milestone, "source", source) or changed
        trial_record_id = self.trials.get(trial_id) if trial_id else None
        if trial_record_id is not None and milestone.trial_record_id != trial_record_id:
            milestone.trial_record_id = trial_record_id
            changed = True
        milestone._trial_looked_up = True  # type: ignore[attr-defined]  # clean() need not query again
        if created:
            self.relate(milestone, "indication", indication)
        if not created and not changed:
            return UNCHANGED, label
        milestone._sibling_cache = self.by_asset.setdefault(asset_id, [])  # type: ignore[attr-defined]
        try:
            milestone.full_clean(exclude=["asset", "source", "indication"], validate_unique=False,
                                 validate_constraints=False)
        except ValidationError:
            if not created:  # later rows must see the milestone as it is, not as this bad row left it
                for fk in ("source", "indication"):
                    field = Milestone._meta.get_field(fk)
                    if field.is_cached(milestone):  # type: ignore[union-attr]
                        field.delete_cached_value(milestone)  # type: ignore[union-attr]
                for name, value in before.items():
                    setattr(milestone, name, value)
            raise
        if created:
            self.by_asset[asset_id].append(milestone)
            self.existing[key] = self.to_create[key] = milestone
        elif milestone.pk is not None:
            self.to_update[milestone.pk] = milestone
        return (CREATED if created else UPDATED), label

    @staticmethod
    def relate(obj: models.Model, name: str, target: models.Model | None) -> bool:
        """Point ``obj.<name>`` at ``target`` (maybe not written yet); True when that changed it.

        Compares primary keys, so it never loads the related row. A target that ``flush`` has yet to
        write is held as the related object; the bulk write takes its key once it has one.
        """
        field = obj._meta.get_field(name)
        if target is not None and target.pk is None:
            if field.is_cached(obj) and field.get_cached_value(obj) is target:  # type: ignore[union-attr]
                return False
            setattr(obj, name, target)
            return True
        new_id = target.pk if target is not None else None
        if getattr(obj, field.attname) == new_id:  # type: ignore[union-attr]
            return False
        setattr(obj, field.attname, new_id)  # type: ignore[union-attr]
        return True

    def flush(self) -> None:
        """Sources and indications first (milestones point at them), then the milestones."""
        self.flush_sources()
        create_with_history(Indication, [i for i in self.indications.values() if i.pk is None])
        create_with_history(Milestone, list(self.to_create.values()))
        update_with_history(Milestone, list(self.to_update.values()), _UPDATE_FIELDS)


__all__ = ["CellError", "MilestoneImporter"]
