"""CSV importers, one module per table; ``IMPORTERS`` maps the table name (columns.py) to its class."""

from __future__ import annotations

from programs.io.importers.assets import AssetImporter
from programs.io.importers.base import Importer, ImportReport
from programs.io.importers.deals import DealImporter
from programs.io.importers.milestones import MilestoneImporter
from programs.io.importers.safety import SafetyImporter
from programs.io.importers.trials import TrialImporter

IMPORTERS: dict[str, type[Importer]] = {
    "assets": AssetImporter,
    "milestones": MilestoneImporter,
    "safety": SafetyImporter,
    "deals": DealImporter,
    "trials": TrialImporter,
}


def import_csv(table: str, data: bytes | str, dry_run: bool = False) -> ImportReport:
    """Import one CSV file into ``table``; all or nothing; see ``ImportReport``."""
    return IMPORTERS[table](dry_run=dry_run).run(data)


def dry_run(table: str, data: bytes | str) -> ImportReport:
    """What importing ``data`` would do, writing nothing (the export round-trip test uses it)."""
    return import_csv(table, data, dry_run=True)


__all__ = ["IMPORTERS", "ImportReport", "dry_run", "import_csv"]
