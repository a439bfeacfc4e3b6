"""``manage.py import_ctgov FILE...``: ClinicalTrials.gov v2 JSON (one study, or a search page) into trials.

Each study is matched to an asset by its interventions' names (any designation of the asset); a study
whose interventions name no known asset is reported and skipped, nothing invented. Each study is
written in its own transaction, so one bad record never leaves half of itself behind and the rest still
import; ``--dry-run`` rolls every study back and lists what would change. A file's lookups (assets,
companies, indications, sources, known registry ids) are read once for all its studies, and the derived
facts of every asset touched are recomputed once after the last study (``programs.derivation.queue.recompute_once``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction

from programs.derivation.queue import recompute_once
from programs.io.ctgov import CtgovError, Study, StudyCache, attach_study, parse_study
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
    raise CtgovError('Neither a ClinicalTrials.gov v2 study nor a v2 search page ({"studies": [...]}).')


def asset_of(study: Study) -> Asset | None:
    """The asset one of the study's interventions names, by any of its designations."""
    return assets_of([study])[0]


def assets_of(studies: Sequence[Study]) -> list[Asset | None]:
    """``asset_of`` for each study, in one query: the designations every study names, read in the
    designations' own order, so each study gets the asset its first match names, as one query each would."""
    keys = [{k for k in map(normalize_name, s.interventions) if k} for s in studies]
    wanted = sorted(set().union(*keys))
    hits: list[AssetDesignation] = []
    for start in range(0, len(wanted), 400):  # under SQLite's parameter limit
        hits += AssetDesignation.objects.filter(normalized__in=wanted[start : start + 400]).select_related("asset")
    if len(wanted) > 400:
        order = {d.pk: n for n, d in enumerate(AssetDesignation.objects.filter(pk__in=[h.pk for h in hits]))}
        hits.sort(key=lambda d: order[d.pk])
    return [next((d.asset for d in hits if d.normalized in mine), None) for mine in keys]


class Command(BaseCommand):
    help = "Import ClinicalTrials.gov v2 study JSON (a study or a search page) as trials and phase starts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        pages = []
        for path in options["files"]:
            try:
                pages.append((path, studies_of(json.loads(path.read_text(encoding="utf-8")))))
            except (OSError, ValueError, CtgovError) as exc:
                raise CommandError(f"{path}: {exc}") from exc
        failed = 0
        # Each study commits on its own; the derived facts and statistics of every asset touched are
        # recomputed once, after the last study, not once per study.
        with recompute_once():
            for path, records in pages:
                failed += self.import_page(path, records, dry_run=options["dry_run"])
        if failed:
            raise CommandError(f"{failed} stud{'y' if failed == 1 else 'ies'} could not be imported.")

    def import_page(self, path: Path, records: list[dict[str, Any]], *, dry_run: bool) -> int:
        """Import one file's studies, each in its own transaction; returns how many failed."""
        parsed: list[Study | CtgovError] = []
        for record in records:
            try:
                parsed.append(parse_study(record))
            except CtgovError as exc:
                parsed.append(exc)
        good = [s for s in parsed if isinstance(s, Study)]
        found = iter(assets_of(good))
        assets = [next(found) if isinstance(s, Study) else None for s in parsed]
        cache = StudyCache()
        cache.preload([(s, a) for s, a in zip(parsed, assets, strict=True) if isinstance(s, Study) and a])
        failed = 0
        for number, (record, study, asset) in enumerate(zip(records, parsed, assets, strict=True), start=1):
            label = f"{path.name} {study.nct_id}" if isinstance(study, Study) else f"{path.name} study {number}"
            try:
                if isinstance(study, CtgovError):
                    raise study
                if asset is None:
                    self.stdout.write(f"skipped {label}: no intervention names an asset adctrack knows")
                    continue
                with transaction.atomic():
                    milestone, created = attach_study(asset, record, study=study, cache=cache)
                    what = (
                        "no phase start" if milestone is None else f"{'created' if created else 'updated'} {milestone}"
                    )
                    self.stdout.write(f"{'would write' if dry_run else 'wrote'} {label} ({asset.code}): trial, {what}")
                    if dry_run:
                        raise _DryRun
            except _DryRun:
                continue
            except (CtgovError, ValidationError, IntegrityError) as exc:
                failed += 1
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                self.stderr.write(f"error {label}: {'; '.join(messages)} (nothing written for it)")
        return failed
