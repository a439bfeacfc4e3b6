"""``manage.py generate_data --assets N --seed S``: synthetic data at scale (see programs.generation)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from programs.generation import generate


class Command(BaseCommand):
    help = (
        "Generate N realistic synthetic assets with milestones, regulatory status, trials, deals and safety "
        "events (deterministic by seed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assets", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--deals", type=int, default=None, help="Number of deals (default: assets / 10).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        progress = (lambda msg: self.stdout.write(msg)) if options["verbosity"] > 1 else None
        result = generate(options["assets"], options["seed"], progress, options["deals"])
        self.stdout.write(
            f"Generated {result.assets} assets, {result.milestones} milestones, {result.deals} deals, "
            f"{result.safety_events} safety events, {result.companies} companies, {result.trials} trials, "
            f"{result.regulatory_rows} regulatory status rows "
            f"in {time.perf_counter() - started:.1f} s."
        )
