"""``manage.py rebuild_summaries``: recount every target and company summary from the raw tables.

For after a restore or a bulk load that bypassed the signals; ordinary edits keep the summaries
current by themselves (``programs.derivation.summaries``). Safe to run at any time (idempotent).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from programs.derivation import summaries


class Command(BaseCommand):
    help = "Recount every target and company summary (the counts the directory pages show)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = summaries.rebuild()
        self.stdout.write(f"Recounted {rows} summaries in {time.perf_counter() - started:.1f} s.")
