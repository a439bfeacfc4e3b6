"""python manage.py import_csv {assets,milestones,safety,deals,trials} FILE [--dry-run]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs.io.importers import IMPORTERS, import_csv


class Command(BaseCommand):
    help = "Import a CSV file (headers: programs/io/columns.py, docs/import.md); all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(f"{path} is larger than the {settings.IMPORT_MAX_BYTES} bytes an import accepts.")
        report = import_csv(options["table"], path.read_bytes(), dry_run=options["dry_run"])
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s): nothing was written.")
