"""``manage.py recompute_stats``: recompute dirty assets' derived facts, then every statistics group."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from programs.derivation.stats.groups import GROUPS


class Command(BaseCommand):
    help = "Recompute pipeline statistics now (what the nightly beat job does). Recorded in JobRun."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", action="append", choices=sorted(GROUPS), help="Only these groups.")
        parser.add_argument("--assets", action="store_true", help="First recompute every asset's derived facts.")

    def handle(self, *args: Any, **options: Any) -> None:
        from programs.models import Asset
        from programs.tasks import recompute_all_stats, recompute_assets, recompute_stats

        if options["assets"]:
            ids = list(Asset.objects.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(ids), 1000):
                recompute_assets.apply(args=[ids[start:start + 1000]]).get()
            self.stdout.write(f"Recomputed derived facts of {len(ids)} assets.")
        if options["group"]:
            rows = recompute_stats.apply(args=[options["group"]]).get()
        else:
            rows = recompute_all_stats.apply().get()
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows} statistics."))
