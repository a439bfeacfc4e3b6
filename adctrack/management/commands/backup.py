"""python manage.py backup FILE: all data with its history, as JSON (gzip if FILE ends in .gz).

Written in the ``exact_json`` format (timestamps to the microsecond); ``restore`` loads it as JSON.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from adctrack.backup import BACKUP_FORMAT, EXCLUDED, dump_labels


class Command(BaseCommand):
    help = "Write all adctrack data, with history, users and groups, to FILE (.json, .json.gz, .json.xz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="output path; .gz/.bz2/.xz/.lzma compress")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        # One REPEATABLE READ/serializable snapshot would be ideal; dumpdata reads app by app. Run it
        # when writes are quiet (e.g. nightly) or from a database snapshot for a strictly consistent copy.
        call_command(
            "dumpdata", *dump_labels(), exclude=list(EXCLUDED), output=file, natural_foreign=True, indent=None,
            format=BACKUP_FORMAT, verbosity=0, stdout=self.stdout,
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {file}"))
