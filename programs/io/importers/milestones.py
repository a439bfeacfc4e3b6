"""Milestones import: upsert by (asset, kind, agency, date)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from milestones.models import Milestone
from milestones.vocab import Agency, MilestoneKind, MilestoneStatus
from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer
from programs.models import Indication
from programs.vocab import Phase


class MilestoneImporter(Importer):
    table = "milestones"
    required = ("asset", "kind", "date", "source_url")

    def load(self) -> None:
        super().load()
        self.existing: dict[tuple[int, str, str, object], Milestone] = {}
        self.by_asset: dict[int, list[Milestone]] = {}
        for m in Milestone.objects.all():
            self.existing[(m.asset_id, m.kind, m.agency, m.date)] = m
            self.by_asset.setdefault(m.asset_id, []).append(m)
        self.indications: dict[str, Indication] = {i.name.lower(): i for i in Indication.objects.all()}

    def indication(self, name: str) -> Indication | None:
        name = " ".join(name.split())
        if not name:
            return None
        found = self.indications.get(name.lower())
        if found is None:
            found = self.indications[name.lower()] = Indication.objects.create(name=name)
        return found

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        asset_id = self.asset_id("asset", row["asset"])
        kind = self.choice("kind", MilestoneKind, row["kind"])
        agency = self.choice("agency", Agency, row["agency"], default="") if row["agency"] else ""
        when = self.date("date", row["date"])
        key = (asset_id, kind, agency, when.date)
        values = {
            "status": self.choice("status", MilestoneStatus, row["status"], default=MilestoneStatus.OCCURRED),
            "phase": self.choice("phase", Phase, row["phase"], default=""),
            "date_precision": when.precision,
            "trial_id": row["trial_id"],
        }
        source = self.source("source_url", row["source_url"], row["source_title"])
        milestone = self.existing.get(key)
        created = milestone is None
        if milestone is None:
            milestone = Milestone(asset_id=asset_id, kind=kind, agency=agency, date=when.date)
        indication = self.indication(row["indication"])
        changed = self.apply(milestone, {**values, "source_id": source.pk,
                                         "indication_id": indication.pk if indication else None})
        label = f"{row['asset']} {kind} {agency} {when.iso()}".replace("  ", " ")
        if not created and not changed:
            return UNCHANGED, label
        milestone._sibling_cache = self.by_asset.setdefault(asset_id, [])  # type: ignore[attr-defined]
        try:
            milestone.full_clean(exclude=["asset", "source", "indication"], validate_unique=False,
                                 validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError({"date" if k == "date" else k: v for k, v in exc.error_dict.items()}) from exc
        milestone.save()
        if created:
            self.by_asset[asset_id].append(milestone)
        self.existing[key] = milestone
        return (CREATED if created else UPDATED), label


__all__ = ["CellError", "MilestoneImporter"]
