"""Benchmark of the deal list at 100,000 deals on PostgreSQL: warm, right after an edit, first view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_bench python bench/bench_deals.py [--deals N]

Uses the deals ``bench_export.py`` generates (tops them up to N), then times /deals/ with Django's
test Client (server time only) beside hand-written SQL for what the page shows: the page of rows
and the total, plus on a first view the seven facet counts (``_floors.deal_list``), one page and
one floor per round.
"Warm" reads the page cache, "edited" moves the data version first (as an edit does), "first"
empties the cache first. Goal (issue #16): p95 < 150 ms warm and page/floor within 3x.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adctrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/adctrack_bench")
    from bench.bench_export import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from bench import _floors
    from bench.bench_export import generate
    from bench.bench_pages import p95, timed_pair
    from programs.models import Deal
    from programs.readpath import data_version

    generate(args.deals)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("SET random_page_cost = 1.1")  # the server's setting in docker-compose.yml
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    client = Client()
    client.force_login(user)

    def page(params: dict[str, str]) -> object:
        def run() -> object:
            response = client.get("/deals/", params)
            assert response.status_code == 200, response.status_code
            return response
        return run

    page({})()
    gc.freeze()  # as gunicorn.conf.py does in each worker after loading the app
    cases = (
        ("deal list", {}, _floors.deal_list()),
        ("deal list, kind=licence", {"kind": "licence"}, _floors.deal_list("WHERE d.kind = 'licence'")),
    )
    print(f"{Deal.objects.count()} deals on {connection.vendor}; {args.rounds} rounds; times in ms; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| page | state | page p50 | page p95 | floor p50 | floor p95 | ratio p50 | ratio p95 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, params, statements in cases:
        # warm and edited pages show counts computed before (the page cache; the recent counts kept
        # for ADCTRACK_FACET_FRESH_SECONDS): their floor is the rows and the total; a first view counts
        # every facet, so its floor does too
        floors_by_state = {"warm": _floors.run(statements[:2]), "edited": _floors.run(statements[:2]),
                           "first": _floors.run(statements)}
        for state, before in (("warm", None), ("edited", data_version.bump), ("first", cache.clear)):
            floor = floors_by_state[state]
            pages, floors = timed_pair(page(params), floor, rounds=args.rounds, before=before)
            pm, pp = sorted(pages)[len(pages) // 2], p95(pages)
            fm, fp = sorted(floors)[len(floors) // 2], p95(floors)
            print(f"| {name} | {state} | {pm:.1f} | {pp:.1f} | {fm:.1f} | {fp:.1f} | {pm / fm:.1f} | {pp / fp:.1f} |",
                  flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
