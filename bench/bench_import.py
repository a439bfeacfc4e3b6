"""Benchmark: import 10,000 milestone rows (python bench/bench_import.py; honours DATABASE_URL, BENCH_ROWS).

Creates a throw-away test database, seeds 500 assets whose derived facts and statistics are current
(as in a running installation, so the import must queue their recompute), imports a 10,000-row
milestones CSV (2,000 distinct sources, all new) and prints the time, the rows per second and a floor
measured in the same run. Celery runs eagerly (as without REDIS_URL): the coalesced recompute of the
500 assets and of the statistics runs on commit and is counted in both figures.

The floor is the least any import of these rows must do: the same milestones, already parsed and
validated (sources already written), inserted with ``bulk_create_with_history`` in one transaction,
the touched assets marked dirty with one UPDATE and recomputed by one ``recompute_assets`` task on
commit. It calls simple-history and the task directly, not the importer's code, so it does not move
when the importer does. Goal: under 30 s on SQLite. ``uptime``'s load average is printed too: the machine may be shared.
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
os.environ.setdefault("LOG_LEVEL", "WARNING")  # the eager tasks log a line each

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
    from adctrack.celery_app import app

    # Eager even with REDIS_URL: the recompute is part of both figures, and no task meant for this
    # throw-away database may wait in a real queue for a worker.
    app.conf.task_always_eager = True
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _settle() -> None:
    """Every asset's derived facts and every statistics group current, as between edits in production."""
    from programs.derivation.stats.compute import ensure_groups
    from programs.models import Asset, StatisticGroup

    ensure_groups()
    Asset.objects.update(derived_dirty=False)
    StatisticGroup.objects.update(dirty=False, dirty_since=None)


def run() -> None:
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from milestones.models import Milestone
    from programs import jobs
    from programs.derivation import queue
    from programs.derivation.stats.groups import MODEL_GROUPS
    from programs.io.columns import MILESTONE_COLUMNS
    from programs.io.importers import import_csv
    from programs.models import Asset, AssetDesignation, Company, Source
    from programs.tasks import recompute_assets

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

    _settle()
    start = time.perf_counter()
    report = import_csv("milestones", text)
    took = time.perf_counter() - start
    assert report.ok, "\n".join(map(str, report.errors[:20]))
    assert Milestone.objects.count() == N_ROWS
    assert not Asset.objects.filter(derived_dirty=True).exists(), "the import's recompute did not run"

    # Floor: the same rows, prepared, bulk-written with history; each asset marked once (see above).
    with connection.cursor() as cursor:  # plain SQL: no signals, no history, untimed
        cursor.execute(f"UPDATE {Asset._meta.db_table} SET latest_milestone_id = NULL")
        cursor.execute(f"DELETE FROM {Milestone._meta.db_table}")
    sources = dict(Source.objects.values_list("url", "pk"))
    rows = [Milestone(asset_id=assets[i % N_ASSETS].pk, kind=KINDS[(i // N_ASSETS) % len(KINDS)], agency=agency(i),
                      date=base + dt.timedelta(days=i // (N_ASSETS // 10)),
                      source_id=sources[f"https://bench.example.com/{i % 2000}"]) for i in range(N_ROWS)]
    _settle()
    start = time.perf_counter()
    with transaction.atomic():
        bulk_create_with_history(rows, Milestone)
        ids = sorted({m.asset_id for m in rows})
        Asset.objects.filter(pk__in=ids).update(derived_dirty=True)
        queue.stats_changed(MODEL_GROUPS["milestones.milestone"])
        jobs.send_on_commit(recompute_assets, ids)
    floor = time.perf_counter() - start
    assert not Asset.objects.filter(derived_dirty=True).exists(), "the floor's recompute did not run"

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"backend: {connection.vendor}; load average (1, 5, 15 min): {load}")
    print(f"import of {N_ROWS} milestone rows: {took:.1f} s, {N_ROWS / took:,.0f} rows/s "
          f"(goal: under 30 s on SQLite: {'met' if took < 30 else 'MISSED'})")
    print(f"floor (bulk insert with history of the prepared rows, one batched recompute): {floor:.1f} s, "
          f"{N_ROWS / floor:,.0f} rows/s")
    print(f"ratio import / floor: {took / floor:.2f}")


if __name__ == "__main__":
    main()
