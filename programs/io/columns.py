"""The column headers of CSV import and export, per table (documented in README.md).

Export writes these first, in this order, so that an export imports back unchanged; readable joined
columns may follow them. Lists inside a cell are separated by ``;``; deal parties are written
``Company:role``; amounts are in millions of the row's currency; dates keep their precision
(``2026-Q2``, see ``programs.dates.PreciseDate.iso``); trial dates may add ``(actual)`` or ``(estimated)``.
"""

from __future__ import annotations

LIST_SEPARATOR = ";"

# A file without one of the newer asset columns (brand, fc_engineering, dar_kind, linker_type,
# linker_payload) still imports, and leaves that field as it was.
ASSET_COLUMNS = (
    "code", "inn", "brand", "aliases", "originator", "targets", "antibody_format", "fc_engineering",
    "conjugation_method", "conjugation_technology", "dar", "dar_kind", "linker", "linker_type", "linker_cleavable",
    "linker_payload", "payloads", "payload_class", "masked", "status", "indications", "source_url",
)
ASSET_OPTIONAL_COLUMNS = frozenset({"brand", "fc_engineering", "dar_kind", "linker_type", "linker_payload"})
MILESTONE_COLUMNS = (
    "asset", "kind", "agency", "indication", "approval_type", "date", "status", "phase", "trial_id", "outcome",
    "source_url", "source_title", "notes",
)
SAFETY_COLUMNS = (
    "asset", "category", "term", "grade", "incidence_percent", "n", "n_total", "study", "data_cutoff",
    "source_url",
)
DEAL_COLUMNS = (
    "announced", "licensor", "licensee", "other_parties", "assets", "kind", "territory", "upfront",
    "near_term", "milestones", "total_value", "currency", "status", "source_url",
)

TRIAL_COLUMNS = (
    "registry_ids", "acronym", "title", "phases", "study_type", "status", "sponsor", "collaborators", "assets",
    "conditions", "countries", "start", "primary_completion", "completion", "enrollment", "source_url",
)

COLUMNS = {
    "assets": ASSET_COLUMNS,
    "milestones": MILESTONE_COLUMNS,
    "safety": SAFETY_COLUMNS,
    "deals": DEAL_COLUMNS,
    "trials": TRIAL_COLUMNS,
}
