"""``manage.py sync_ctgov [--nct NCT...] [--dry-run] [--max N] [--older-than DAYS]``: refresh tracked trials.

Reads each tracked trial's record from the ClinicalTrials.gov API v2 (``CTGOV_BASE_URL``) and applies it
like ``import_ctgov`` would, one transaction per trial (``programs.io.ctgov_sync``). Prints one line per
trial and a summary; exits non-zero when any trial failed. The weekly Celery task runs the same code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs.io.ctgov_sync import FAILED, TrialResult, sync_trials


class Command(BaseCommand):
    help = "Refresh every tracked trial with an NCT id from the ClinicalTrials.gov API v2."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nct", nargs="+", metavar="NCT", help="Only these NCT ids (tracked trials).")
        parser.add_argument("--dry-run", action="store_true", help="Fetch and report what would change; write nothing.")
        parser.add_argument("--max", type=int, metavar="N", help="At most N trials (least recently synced first).")
        parser.add_argument(
            "--older-than", type=int, metavar="DAYS", help="Only trials not synced in the last DAYS days."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("max", "older_than"):
            if options[name] is not None and options[name] < (1 if name == "max" else 0):
                raise CommandError(f"--{name.replace('_', '-')} must be {'positive' if name == 'max' else '>= 0'}.")
        dry_run = options["dry_run"]

        def show(result: TrialResult) -> None:
            outcome = "would refresh" if dry_run and result.outcome == "refreshed" else result.outcome
            line = f"{outcome} {result.nct_id}" + (f": {result.message}" if result.message else "")
            if result.outcome == FAILED:
                self.stderr.write(f"{line} (nothing written for it)")
            else:
                self.stdout.write(line)

        older = dt.timedelta(days=options["older_than"]) if options["older_than"] is not None else None
        report = sync_trials(options["nct"], dry_run=dry_run, limit=options["max"], older_than=older, on_result=show)
        self.stdout.write(("Dry run: " if dry_run else "") + report.summary() + ".")
        failed = len(report.failures)
        if failed:
            raise CommandError(f"{failed} trial{'' if failed == 1 else 's'} could not be refreshed.")
