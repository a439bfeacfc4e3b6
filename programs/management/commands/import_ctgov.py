"""``manage.py import_ctgov FILE...``: ClinicalTrials.gov v2 JSON (one study, or a search page) into trials.

Each study is matched to an asset by its interventions' names (any designation of the asset); a study
whose interventions name no known asset is reported and skipped, nothing invented. Each study is
written in its own transaction, so one bad record never leaves half of itself behind; ``--dry-run``
rolls every study back and lists what would change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from programs.io.ctgov import CtgovError, Study, attach_study, parse_study
from programs.models import Asset, AssetDesignation
from programs.text import normalize_name


class _DryRun(Exception):
    """Raised inside a study's transaction to roll it back on a dry run."""


def studies_of(data: Any) -> list[dict[str, Any]]:
    """A v2 study object, or a v2 search page ``{"studies": [...], "nextPageToken": ...}``."""
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        return list(data["studies"])
    if isinstance(data, dict) and "protocolSection" in data:
        return [data]
    raise CtgovError("Neither a ClinicalTrials.gov v2 study nor a v2 search page ({\"studies\": [...]}).")


def asset_of(study: Study) -> Asset | None:
    """The asset one of the study's interventions names, by any of its designations."""
    keys = [normalize_name(n) for n in study.interventions]
    hit = AssetDesignation.objects.filter(normalized__in=[k for k in keys if k]).select_related("asset").first()
    return hit.asset if hit is not None else None


class Command(BaseCommand):
    help = "Import ClinicalTrials.gov v2 study JSON (a study or a search page) as trials and phase starts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for path in options["files"]:
            try:
                studies = studies_of(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, CtgovError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
            for number, study in enumerate(studies, start=1):
                label = f"{path.name} study {number}"
                try:
                    parsed = parse_study(study)
                    label = f"{path.name} {parsed.nct_id}"
                    asset = asset_of(parsed)
                    if asset is None:
                        self.stdout.write(f"skipped {label}: no intervention names an asset adctrack knows")
                        continue
                    with transaction.atomic():
                        milestone, created = attach_study(asset, study)
                        what = ("no phase start" if milestone is None else
                                f"{'created' if created else 'updated'} {milestone}")
                        self.stdout.write(f"{'would write' if options['dry_run'] else 'wrote'} {label} "
                                          f"({asset.code}): trial, {what}")
                        if options["dry_run"]:
                            raise _DryRun
                except _DryRun:
                    continue
                except (CtgovError, ValidationError) as exc:
                    failed += 1
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    self.stderr.write(f"error {label}: {'; '.join(messages)} (nothing written for it)")
        if failed:
            raise CommandError(f"{failed} stud{'y' if failed == 1 else 'ies'} could not be imported.")
