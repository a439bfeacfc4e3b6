"""Benchmark: import 10,000 milestone rows (python bench/bench_import.py; honours DATABASE_URL).

Creates a throw-away test database, seeds 500 assets, imports a 10,000-row milestones CSV and prints the
time next to a floor measured in the same run: creating the same 10,000 milestones one by one through the
ORM (with history), which is the least work a validating, upserting import can do. Target: under 30 s
on SQLite.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adctrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N_ASSETS, N_ROWS = 500, int(os.environ.get("BENCH_ROWS", "10000"))
KINDS = ["ind_submitted", "ind_cleared", "fast_track", "orphan_drug", "breakthrough", "clinical_hold",
         "hold_lifted", "priority_review"]
AGENCIES = ["FDA", "NMPA", "EMA", "PMDA", "MFDS"]


def agency(i: int) -> str:
    """One agency per full cycle of kinds, so each agency's IND is submitted before it is cleared."""
    return AGENCIES[(i // (N_ASSETS * len(KINDS))) % len(AGENCIES)]


def main() -> None:
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run() -> None:
    from milestones.models import Milestone
    from programs.io.columns import MILESTONE_COLUMNS
    from programs.io.importers import import_csv
    from programs.models import Asset, AssetDesignation, Company, Source

    company = Company.objects.create(name="Bench Bio", slug="bench-bio")
    assets = Asset.objects.bulk_create(
        [Asset(code=f"BX-{i:04d}", slug=f"bx-{i:04d}", originator=company) for i in range(N_ASSETS)])
    AssetDesignation.objects.bulk_create(
        [AssetDesignation(asset=a, name=a.code, normalized=a.code.lower().replace("-", ""), kind="code")
         for a in assets])
    base = dt.date(2015, 1, 1)
    lines = [",".join(MILESTONE_COLUMNS)]
    for i in range(N_ROWS):
        day = base + dt.timedelta(days=i // (N_ASSETS // 10))
        kind = KINDS[(i // N_ASSETS) % len(KINDS)]
        lines.append(f"BX-{i % N_ASSETS:04d},{kind},{agency(i)},{day.isoformat()},occurred,"
                     f",,,https://bench.example.com/{i % 2000},Story {i % 2000}")
    text = "\n".join(lines)

    start = time.perf_counter()
    report = import_csv("milestones", text)
    took = time.perf_counter() - start
    assert report.ok, "\n".join(map(str, report.errors[:20]))
    assert Milestone.objects.count() == N_ROWS

    # Floor: the same rows created one by one (with history), without parsing, lookups or validation.
    Milestone.objects.all().delete()
    source = Source.objects.first()
    rows = [(assets[i % N_ASSETS].pk, KINDS[(i // N_ASSETS) % len(KINDS)], agency(i),
             base + dt.timedelta(days=i // (N_ASSETS // 10))) for i in range(N_ROWS)]
    start = time.perf_counter()
    for asset_id, kind, ag, day in rows:
        Milestone.objects.create(asset_id=asset_id, kind=kind, agency=ag, date=day, source=source)
    floor = time.perf_counter() - start

    print(f"backend: {connection.vendor}")
    print(f"import of {N_ROWS} milestone rows: {took:.1f} s ({'under' if took < 30 else 'OVER'} the 30 s target)")
    print(f"floor (plain ORM create of the same rows): {floor:.1f} s")
    print(f"ratio import / floor: {took / floor:.2f}")


if __name__ == "__main__":
    main()
