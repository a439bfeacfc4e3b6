"""Benchmark: full statistics recompute against hand-written SQL, and one incremental update.

Usage: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_i7_bench python bench/bench_stats.py``
(creates the database, migrates and generates 100,000 assets / ~1,000,000 milestones on first run;
``BENCH_ASSETS`` changes the size). Prints the full recompute time beside the time of the equivalent
hand-written ``GROUP BY`` queries measured in the same run (goal: within 2x), and the task time of
the incremental update after one edit (goal: < 100 ms).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adctrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.pop("REDIS_URL", None)  # tasks run in-process: we time the task bodies, not the broker

HAND_SQL = {
    "highest_phase": "SELECT highest_phase, count(*) FROM programs_asset GROUP BY 1",
    "target": "SELECT t.symbol, count(DISTINCT at.asset_id) FROM programs_assettarget at "
              "JOIN programs_target t ON t.id = at.target_id GROUP BY 1",
    "target_pair": "SELECT l.symbol, h.symbol, count(*) FROM programs_asset a JOIN programs_targetpair p "
                   "ON p.id = a.target_pair_id JOIN programs_target l ON l.id = p.low_id "
                   "JOIN programs_target h ON h.id = p.high_id GROUP BY 1, 2",
    "antibody_format": "SELECT antibody_format, count(*) FROM programs_asset GROUP BY 1",
    "conjugation_method": "SELECT conjugation_method, count(*) FROM programs_asset GROUP BY 1",
    "conjugation_by_phase": "SELECT highest_phase, conjugation_method, count(*) FROM programs_asset GROUP BY 1, 2",
    "site_specific_share": "SELECT count(*), count(*) FILTER (WHERE conjugation_method IN "
                           "('site_cysteine','site_glycan','site_nnaa','site_other')) FROM programs_asset "
                           "WHERE highest_phase IN "
                           "('phase1','phase1_2','phase2','phase2_3','phase3','filed','approved')",
    "payload_class": "SELECT p.payload_class, count(DISTINCT ap.asset_id) FROM programs_assetpayload ap "
                     "JOIN programs_payload p ON p.id = ap.payload_id GROUP BY 1",
    "originator_country": "SELECT c.country, count(*) FROM programs_asset a JOIN programs_company c "
                          "ON c.id = a.originator_id GROUP BY 1",
    "inds_per_agency_year": "SELECT agency, extract(year FROM date), count(*) FROM milestones_milestone "
                            "WHERE kind IN ('ind_cleared','cta_approved') AND status = 'occurred' "
                            "AND date IS NOT NULL AND agency <> '' GROUP BY 1, 2",
    "ind_to_dosing": "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ind_to_dosing_days), count(*) "
                     "FROM programs_asset WHERE ind_to_dosing_days IS NOT NULL",
    "ild_by_payload_class": "SELECT p.payload_class, count(DISTINCT s.id), sum(s.incidence_percent) "
                            "FROM milestones_safetyevent s JOIN programs_assetpayload ap ON ap.asset_id = s.asset_id "
                            "JOIN programs_payload p ON p.id = ap.payload_id WHERE s.category = 'ild' AND "
                            "s.assessment = 'reported' AND s.grade_band = 'any' AND s.incidence_percent IS NOT NULL "
                            "GROUP BY 1",
    "ild_points": "SELECT s.id, s.incidence_percent, a.code, a.slug, src.url, src.title, p.payload_class "
                  "FROM milestones_safetyevent s JOIN programs_asset a ON a.id = s.asset_id "
                  "JOIN programs_source src ON src.id = s.source_id "
                  "LEFT JOIN programs_assetpayload ap ON ap.asset_id = a.id "
                  "LEFT JOIN programs_payload p ON p.id = ap.payload_id WHERE s.category = 'ild' AND "
                  "s.assessment = 'reported' AND s.grade_band = 'any' AND s.incidence_percent IS NOT NULL",
}
for dim, expr in (("year", "extract(year FROM d.announced_on)"), ("kind", "d.kind"), ("territory", "d.territory")):
    sql = (f"SELECT {expr}, count(DISTINCT d.id), sum(t.total_value * t.usd_per_unit) FILTER (WHERE t.stands), "
           f"count(DISTINCT d.id) FILTER (WHERE t.stands AND t.total_value IS NOT NULL) FROM programs_deal d "
           f"LEFT JOIN programs_dealterms t ON t.deal_id = d.id GROUP BY 1")
    HAND_SQL[f"deals_by_{dim}"] = sql
    HAND_SQL[f"deal_value_by_{dim}"] = sql


def _ensure_database(url: str) -> None:
    import psycopg2

    parsed = urlparse(url)
    name = parsed.path.strip("/")
    conn = psycopg2.connect(host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres",
                            password=parsed.password, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _best(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/adctrack_i7_bench")
    _ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from bench._gen import generate
    from milestones.models import Milestone
    from programs.models import Asset, JobRun
    from programs.stats.compute import recompute_all, recompute_groups
    from programs.stats.groups import GROUPS, MODEL_GROUPS

    n_assets = int(os.environ.get("BENCH_ASSETS", "100000"))
    if Asset.objects.count() < n_assets:
        start = time.perf_counter()
        generate(n_assets)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"generated in {time.perf_counter() - start:.1f} s")
    print(f"assets: {Asset.objects.count():,}  milestones: {Milestone.objects.count():,}")

    def hand() -> None:
        with connection.cursor() as cur:
            for group in GROUPS:
                cur.execute(HAND_SQL[group])
                cur.fetchall()

    recompute_all()  # warm
    full = _best(recompute_all)
    floor = _best(hand)
    print(f"full recompute (ORM, upsert, snapshot): {full * 1000:.0f} ms")
    print(f"hand-written GROUP BY queries (read only): {floor * 1000:.0f} ms")
    print(f"ratio full / hand SQL: {full / floor:.2f}x (goal <= 2x)")

    # Incremental: one milestone edit, then the tasks it queues (eager, so they run at commit).
    asset = Asset.objects.order_by("pk")[Asset.objects.count() // 2]
    milestone = Milestone.objects.filter(asset=asset).order_by("pk").first()
    assert milestone is not None
    task_times, group_times = [], []
    for i in range(5):
        before = JobRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with transaction.atomic():
            milestone.notes = f"bench edit {i}"
            milestone.save()
        runs = list(JobRun.objects.filter(pk__gt=before).order_by("pk"))
        task_times.append(sum(r.duration_ms or 0 for r in runs if r.task_name == "programs.recompute_asset"))
        group_times.append(sum(r.duration_ms or 0 for r in runs if r.task_name == "programs.recompute_stats"))
    print(f"incremental: asset task {statistics.median(task_times):.1f} ms (goal < 100 ms); "
          f"statistics task for the milestone's groups {statistics.median(group_times):.0f} ms")
    groups = MODEL_GROUPS["milestones.milestone"]
    only = _best(lambda: recompute_groups(groups))
    print(f"  recompute of the {len(groups)} groups a milestone edit touches: {only * 1000:.0f} ms "
          f"({only / full:.2f} of the full recompute)")


if __name__ == "__main__":
    main()
