"""Milestones import: upsert by (asset, kind, agency, date).

Batched (see ``base``): every row is parsed and validated against in-memory lookups (the named assets'
milestones, sources, indications) without a query, and a real run writes the planned rows at the end
with bulk inserts and updates (history included, ``programs.bulk``). A file of 10,000 rows costs a few
hundred queries, not tens of thousands.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from milestones.models import Milestone
from milestones.vocab import Agency, MilestoneKind, MilestoneStatus
from programs.bulk import create_with_history, update_with_history
from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Indication
from programs.text import normalize_name
from programs.vocab import Phase

Key = tuple[int, str, str, "dt.date | None"]

#: The columns an import writes on an existing milestone (``before_write`` may fill the plan).
_UPDATE_FIELDS = ("status", "phase", "date_precision", "trial_id", "source", "indication", "planned_date",
                  "planned_precision")
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

    def prefetch(self, rows: list[dict[str, str]]) -> None:
        """The milestones of the assets the file names (not the whole table): upsert keys and siblings."""
        ids = sorted({self.assets_by_name[k] for k in (normalize_name(r.get("asset", "")) for r in rows)
                      if k in self.assets_by_name})
        for start in range(0, len(ids), _ID_CHUNK):
            for m in Milestone.objects.filter(asset_id__in=ids[start:start + _ID_CHUNK]).order_by("pk"):
                self.existing[(m.asset_id, m.kind, m.agency, m.date)] = m
                self.by_asset.setdefault(m.asset_id, []).append(m)

    def indication(self, name: str) -> Indication | None:
        """The indication of this name (case-insensitive); a new one is written by ``flush``."""
        name = self.fits("indication", Indication, "name", " ".join(name.split()))
        if not name:
            return None
        found = self.indications.get(name.lower())
        if found is None:
            found = self.indications[name.lower()] = Indication(name=name)
        return found

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        asset_id = self.asset_id("asset", row["asset"])
        kind = self.choice("kind", MilestoneKind, row["kind"])
        agency = self.choice("agency", Agency, row["agency"], default="") if row["agency"] else ""
        when = self.date("date", row["date"])
        key: Key = (asset_id, kind, agency, when.date)
        values: dict[str, Any] = {
            "status": self.choice("status", MilestoneStatus, row["status"], default=MilestoneStatus.OCCURRED),
            "phase": self.choice("phase", Phase, row["phase"], default=""),
            "date_precision": when.precision,
            "trial_id": row["trial_id"],
        }
        source = self.source("source_url", row["source_url"], row["source_title"])
        indication = self.indication(row["indication"])
        label = f"{row['asset']} {kind} {agency} {when.iso()}".replace("  ", " ")
        milestone = self.existing.get(key)
        created = milestone is None
        if milestone is None:
            milestone = Milestone(asset_id=asset_id, kind=kind, agency=agency, date=when.date)
        before = {f: getattr(milestone, f) for f in (*values, "source_id", "indication_id")}
        changed = self.apply(milestone, values)
        changed = self.relate(milestone, "source", source) or changed
        changed = self.relate(milestone, "indication", indication) or changed
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
