"""Benchmark: analyst page server time at scale, against hand-written SQL for the same rows.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_bench python bench/bench_pages.py [--assets 100000]

Generates data with ``programs.generation`` when the database holds fewer assets than asked, then
times each page with Django's test Client (in-process, so server time only) beside a hand-written
query returning the same rows, in the same run. Prints median and p95 and their ratios; the goal is
p95 < 150 ms and page/floor within 3x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adctrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from programs.generation import generate  # noqa: E402
from programs.models import Asset  # noqa: E402

ROUNDS = 30
PAGE = 50

LIST_SQL = """
SELECT a.id, a.code, a.inn, a.antibody_format, a.conjugation_method, a.highest_phase, a.latest_event_date,
       c.name, c.slug, m.kind, m.date, m.date_precision,
       (SELECT string_agg(t.symbol, ' x ' ORDER BY at.position) FROM programs_assettarget at
          JOIN programs_target t ON t.id = at.target_id WHERE at.asset_id = a.id),
       (SELECT string_agg(p.payload_class, ';') FROM programs_assetpayload ap
          JOIN programs_payload p ON p.id = ap.payload_id WHERE ap.asset_id = a.id)
FROM programs_asset a JOIN programs_company c ON c.id = a.originator_id
LEFT JOIN milestones_milestone m ON m.id = a.latest_milestone_id
{where}
ORDER BY a.code LIMIT 50
"""
PAIR_WHERE = """WHERE a.target_pair_id IN (SELECT tp.id FROM programs_targetpair tp
  JOIN programs_target l ON l.id = tp.low_id JOIN programs_target h ON h.id = tp.high_id
  WHERE (l.symbol, h.symbol) IN (('EGFR','ERBB3'),('ERBB3','EGFR')))"""
SEARCH_WHERE = """WHERE a.id IN (SELECT asset_id FROM programs_assetdesignation WHERE normalized LIKE %s)
  OR UPPER(a.search_text) LIKE UPPER(%s)"""
DETAIL_SQL = [
    "SELECT a.*, c.name FROM programs_asset a JOIN programs_company c ON c.id = a.originator_id WHERE a.slug = %s",
    "SELECT m.*, s.url FROM milestones_milestone m JOIN programs_source s ON s.id = m.source_id "
    "WHERE m.asset_id = %s ORDER BY m.date",
    "SELECT t.symbol FROM programs_assettarget at JOIN programs_target t ON t.id = at.target_id WHERE at.asset_id = %s",
    "SELECT e.*, s.url FROM milestones_safetyevent e JOIN programs_source s ON s.id = e.source_id "
    "WHERE e.asset_id = %s",
]


def timed(fn: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
    fn()  # warm caches and connection
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def sql(statement: str, params: list[object] | tuple[object, ...] = ()) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()
    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Note: not PostgreSQL; the figures that matter are PostgreSQL's.")
    call_command("migrate", verbosity=0)
    have = Asset.objects.count()
    if have < args.assets:
        started = time.perf_counter()
        generate(args.assets - have, seed=args.seed)
        print(f"generated {args.assets - have} assets in {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    client = Client()
    client.force_login(user)
    asset = Asset.objects.filter(highest_phase="phase3").order_by("code").first() or Asset.objects.first()
    assert asset is not None
    term = asset.code[:7]

    def page(url: str, params: dict[str, str] | None = None) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
            return response
        return run

    def detail_floor() -> None:
        sql(DETAIL_SQL[0], [asset.slug])()
        for statement in DETAIL_SQL[1:]:
            sql(statement, [asset.pk])()

    cases = [
        ("asset list", page("/assets/"), sql(LIST_SQL.format(where=""))),
        ("list by pair EGFR x ERBB3", page("/assets/", {"pair": "EGFR-ERBB3"}),
         sql(LIST_SQL.format(where=PAIR_WHERE))),
        (f"search {term!r}", page("/assets/", {"q": term}),
         sql(LIST_SQL.format(where=SEARCH_WHERE), [f"%{term.lower().replace('-', '')}%", f"%{term}%"])),
        (f"asset page {asset.code}", page(asset.get_absolute_url()), detail_floor),
    ]
    print(f"{Asset.objects.count()} assets on {connection.vendor}; {ROUNDS} rounds each; times in ms")
    print(f"{'case':34} {'page med':>9} {'page p95':>9} {'sql med':>8} {'sql p95':>8}", end=" ")
    print(f"{'ratio med':>9} {'ratio p95':>9}")
    for name, page_fn, floor_fn in cases:
        page_t, floor_t = timed(page_fn), timed(floor_fn)
        pm, pp, fm, fp = statistics.median(page_t), p95(page_t), statistics.median(floor_t), p95(floor_t)
        print(f"{name:34} {pm:9.1f} {pp:9.1f} {fm:8.1f} {fp:8.1f} {pm / fm:9.1f} {pp / fp:9.1f}")


if __name__ == "__main__":
    main()
