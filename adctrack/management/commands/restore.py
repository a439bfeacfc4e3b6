"""python manage.py restore FILE: replace the data with a backup, all or nothing.

Refuses a database that already holds user data (accounts or edit history) unless --force.
Runs in one transaction: the backed-up tables (and rows pointing at them) are emptied and the file
loaded; any error rolls
everything back, leaving the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from adctrack.backup import empty_backed_up_tables, has_user_data
from programs.derivation import signals


class Command(BaseCommand):
    help = "Load a backup written by `backup` into an empty (freshly migrated) database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="replace existing data (and drop API tokens)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, file: str, force: bool, database: str, **options: Any) -> None:
        if not Path(file).is_file():
            raise CommandError(f"No such backup file: {file}")
        connection = connections[database]
        with transaction.atomic(using=database):
            if has_user_data() and not force:
                raise CommandError("The database already holds data; restore into a freshly migrated one, or --force.")
            empty_backed_up_tables(connection)
            with signals.muted():  # the backup holds the derived rows and statistics already
                call_command("loaddata", file, database=database, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))
