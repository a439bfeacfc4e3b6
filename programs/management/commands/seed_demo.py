"""python manage.py seed_demo: load the demo data set (idempotent, all or nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from programs.demo.loader import DemoConflict, load_demo


class Command(BaseCommand):
    help = "Load the demo programmes, companies, milestones, figures and deals with their sources."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = load_demo()
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo data loaded: {created} records created ({'none' if not created else 'new'}).")
