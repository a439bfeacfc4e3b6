"""Safety events import: upsert by (asset, category, term, grade, study, source URL)."""

from __future__ import annotations

from milestones.models import SafetyEvent
from milestones.vocab import GradeBand, SafetyCategory
from programs.io.importers.base import CREATED, UNCHANGED, UPDATED, CellError, Importer


class SafetyImporter(Importer):
    table = "safety"
    required = ("asset", "category", "term", "source_url")

    def import_row(self, row: dict[str, str]) -> tuple[str, str]:
        asset_id = self.asset_id("asset", row["asset"])
        category = self.choice("category", SafetyCategory, row["category"])
        term = row["term"].strip()
        if not term:
            raise CellError("term", "The reported term is required (e.g. pneumonitis).")
        grade_text = row["grade"].strip().lower().replace(" ", "")
        grade, band = None, GradeBand.ANY
        if grade_text in {"≥3", ">=3", "3+", "grade3+", "grade≥3"}:
            band = GradeBand.GRADE_3_PLUS
        elif grade_text not in {"", "any", "all"}:
            grade = self.integer("grade", grade_text)
            band = GradeBand.SINGLE
        source = self.source("source_url", row["source_url"])
        cutoff = self.date("data_cutoff", row["data_cutoff"])
        lookup = {"asset_id": asset_id, "category": category, "term": term, "grade": grade,
                  "study": row["study"], "source_id": source.pk}
        event = SafetyEvent.objects.filter(**lookup).first()
        created = event is None
        event = event or SafetyEvent(**lookup)
        changed = self.apply(event, {
            "grade_band": band, "incidence_percent": self.decimal("incidence_percent", row["incidence_percent"]),
            "n": self.integer("n", row["n"]), "n_total": self.integer("n_total", row["n_total"]),
            "data_cutoff": cutoff.date, "data_cutoff_precision": cutoff.precision,
        })
        label = f"{row['asset']} {term}"
        if not (created or changed):
            return UNCHANGED, label
        event.full_clean(exclude=["asset", "source", "caused_hold"])
        event.save()
        return (CREATED if created else UPDATED), label
