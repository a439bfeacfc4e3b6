"""Benchmark: analyst page server time at scale, against hand-written SQL for the same rows.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_bench python bench/bench_pages.py [--assets 100000]

Generates data with ``programs.generation`` when the database holds fewer assets than asked, runs
``VACUUM ANALYZE`` (the steady state autovacuum keeps a live database in), then times each page with
Django's test Client (in-process, so server time only) beside hand-written SQL returning the same
rows, in the same run, one page and one floor per round: for a list the page of rows and the
total the page shows; for the asset page every section it shows. Prints median and p95 and their
ratios; the goal is p95 < 150 ms and page/floor within 3x.

Three states of each page: "warm" is the steady state of reading (the page cache, keyed by the
data version, holds the page); "edited" moves the data version before every round, as an edit
does, so the page runs its queries (facet counts younger than ADCTRACK_FACET_FRESH_SECONDS are
reused); "first" empties the cache before every round: a filter state nobody viewed in the last
minute, facets recounted; "first, worker" is the same after the worker's recount of the unfiltered
list's facets (``programs.warm_asset_facets``, queued by every change), which a view with one
ticked facet reuses for that facet. The floor of a first view adds the facet counts written by
hand (``facet_sql``: the same GROUP BYs over the same assets), since the page shows them too.
"""

from __future__ import annotations

import argparse
import gc
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
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from bench import _floors  # noqa: E402
from programs.filters.assets import IND_AGENCIES  # noqa: E402
from programs.generation import generate  # noqa: E402
from programs.models import Asset, Company, Deal, Target  # noqa: E402
from programs.readpath import data_version  # noqa: E402
from programs.readpath.facets import warm_plain_list  # noqa: E402

ROUNDS = 30
PAGE = 50

COUNT_SQL = "SELECT count(*) FROM programs_asset a {where}"
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
APPROVED_WHERE = """WHERE a.id IN (SELECT asset_id FROM milestones_regulatorystatus
  WHERE agency = 'FDA' AND state = 'approved')"""
SEARCH_WHERE = """WHERE a.id IN (SELECT asset_id FROM programs_assetdesignation WHERE normalized LIKE %s
  UNION SELECT id FROM programs_asset WHERE UPPER(search_text) LIKE UPPER(%s)
  UNION SELECT asset_id FROM programs_assetdesignation WHERE normalized %% %s)"""


def facet_sql(where: str, pair_where: str | None = None, *, pair: bool = True) -> list[str]:
    """Hand-written facet counts: every value's count over the assets matching the other filters.

    ``where`` narrows the assets (``a``); ``pair_where`` is ``where`` without the pair filter (the
    pair facet is counted without its own filter). Child-table facets restrict ``asset_id`` to the
    matching assets only when something is filtered.
    """
    pair_where = where if pair_where is None else pair_where
    pairs = (
        [
            "SELECT l.symbol, h.symbol, count(*) FROM programs_asset a "
            "JOIN programs_targetpair tp ON tp.id = a.target_pair_id "
            "JOIN programs_target l ON l.id = tp.low_id JOIN programs_target h ON h.id = tp.high_id "
            f"{pair_where.replace('WHERE', 'WHERE true AND', 1) if pair_where else ''} GROUP BY 1, 2",
        ]
        if pair
        else []
    )
    among = f"AND x.asset_id IN (SELECT a.id FROM programs_asset a {where})" if where else ""
    agencies = ", ".join(f"count(*) FILTER (WHERE a.first_ind ? '{agency}')" for agency in IND_AGENCIES)
    return [
        "SELECT antibody_format, conjugation_method, highest_phase, status, masked, linker_cleavable, count(*) "
        f"FROM programs_asset a {where} GROUP BY 1, 2, 3, 4, 5, 6",
        "SELECT t.symbol, count(DISTINCT x.asset_id) FROM programs_assettarget x JOIN programs_target t "
        f"ON t.id = x.target_id WHERE true {among} GROUP BY 1",
        *pairs,
        "SELECT p.payload_class, count(DISTINCT x.asset_id) FROM programs_assetpayload x JOIN programs_payload p "
        f"ON p.id = x.payload_id WHERE true {among} GROUP BY 1",
        "SELECT c.name, c.slug, c.country, n FROM (SELECT a.originator_id, count(*) n FROM programs_asset a "
        f"{where} GROUP BY 1) o JOIN programs_company c ON c.id = o.originator_id",
        f"SELECT {agencies} FROM programs_asset a {where}",
        "SELECT category, count(DISTINCT x.asset_id) FROM milestones_safetyevent x WHERE assessment = 'reported' "
        f"{among} GROUP BY 1",
    ]


DETAIL_SQL = [
    "SELECT a.*, c.name, c.slug, c.country FROM programs_asset a JOIN programs_company c ON c.id = a.originator_id "
    "LEFT JOIN milestones_milestone lm ON lm.id = a.latest_milestone_id WHERE a.slug = %s",
    "SELECT tp.id, l.symbol, h.symbol FROM programs_asset a JOIN programs_targetpair tp ON tp.id = a.target_pair_id "
    "JOIN programs_target l ON l.id = tp.low_id JOIN programs_target h ON h.id = tp.high_id WHERE a.id = %(id)s",
    "SELECT at.position, t.symbol, t.name, t.slug FROM programs_assettarget at JOIN programs_target t "
    "ON t.id = at.target_id WHERE at.asset_id = %(id)s ORDER BY at.position",
    "SELECT ap.position, p.name, p.payload_class FROM programs_assetpayload ap JOIN programs_payload p "
    "ON p.id = ap.payload_id WHERE ap.asset_id = %(id)s ORDER BY ap.position",
    "SELECT name, kind FROM programs_assetdesignation WHERE asset_id = %(id)s",
    # "Where it is approved": the derived status rows with their indications.
    "SELECT r.agency, r.state, r.approval_type, r.converted, r.phase, r.since, r.since_precision, i.name "
    "FROM milestones_regulatorystatus r LEFT JOIN programs_indication i ON i.id = r.indication_id "
    "WHERE r.asset_id = %(id)s ORDER BY r.position",
    # The Trials section: the asset's trials with their registry ids, newest start first.
    "SELECT t.id, t.acronym, t.title, t.phases, t.overall_status, t.primary_completion_date, "
    "t.primary_completion_precision, t.primary_completion_type, r.value FROM milestones_trial t "
    "JOIN milestones_trial_assets ta ON ta.trial_id = t.id LEFT JOIN milestones_trialregistryid r ON r.trial_id = t.id "
    "WHERE ta.asset_id = %(id)s ORDER BY t.start_date DESC, t.id, r.value",
    "SELECT m.*, s.url, s.title, i.name FROM milestones_milestone m JOIN programs_source s ON s.id = m.source_id "
    "LEFT JOIN programs_indication i ON i.id = m.indication_id WHERE m.asset_id = %(id)s ORDER BY m.date",
    "SELECT d.*, s.url FROM programs_deal d JOIN programs_deal_assets da ON da.deal_id = d.id "
    "JOIN programs_source s ON s.id = d.source_id WHERE da.asset_id = %(id)s",
    "SELECT p.deal_id, p.role, c.name, c.slug FROM programs_dealparty p JOIN programs_company c ON c.id = p.company_id "
    "WHERE p.deal_id IN (SELECT deal_id FROM programs_deal_assets WHERE asset_id = %(id)s)",
    "SELECT t.*, s.url FROM programs_dealterms t JOIN programs_source s ON s.id = t.source_id "
    "WHERE t.deal_id IN (SELECT deal_id FROM programs_deal_assets WHERE asset_id = %(id)s)",
    "SELECT e.*, s.url FROM milestones_safetyevent e JOIN programs_source s ON s.id = e.source_id "
    "WHERE e.asset_id = %(id)s",
    "SELECT e.*, s.url FROM milestones_safetymeasure e JOIN programs_source s ON s.id = e.source_id "
    "WHERE e.asset_id = %(id)s",
    "SELECT e.*, s.url FROM milestones_efficacyreadout e JOIN programs_source s ON s.id = e.source_id "
    "WHERE e.asset_id = %(id)s",
    "SELECT s.* FROM programs_source s JOIN programs_asset_sources x ON x.source_id = s.id WHERE x.asset_id = %(id)s",
    "SELECT a.code, a.slug, a.highest_phase, c.name, c.slug FROM programs_asset a "
    "JOIN programs_company c ON c.id = a.originator_id WHERE a.id IN (SELECT asset_id FROM programs_assettarget "
    "WHERE target_id IN (SELECT target_id FROM programs_assettarget WHERE asset_id = %(id)s) "
    "AND asset_id <> %(id)s ORDER BY asset_id DESC LIMIT 12)",
    # The change history: the newest rows of the asset's own history table and of its children's.
    *[
        f"SELECT * FROM {table} WHERE {col} = %(id)s ORDER BY history_date DESC LIMIT 40"
        for table, col in [
            ("programs_historicalasset", "id"),
            ("programs_historicalassetdesignation", "asset_id"),
            ("programs_historicalassettarget", "asset_id"),
            ("programs_historicalassetpayload", "asset_id"),
            ("milestones_historicalmilestone", "asset_id"),
            ("milestones_historicalsafetyevent", "asset_id"),
            ("milestones_historicalsafetymeasure", "asset_id"),
            ("milestones_historicalefficacyreadout", "asset_id"),
        ]
    ],
]


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def timed_pair(
    page: Callable[[], object],
    floor: Callable[[], object],
    rounds: int = ROUNDS,
    before: Callable[[], object] | None = None,
) -> tuple[list[float], list[float]]:
    """Page and floor times, one of each per round (the machine's drift falls on both alike)."""
    page()  # warm caches and connection
    floor()
    pages, floors = [], []
    for _ in range(rounds):
        if before is not None:
            before()  # untimed: e.g. move the data version, as an edit does
        pages.append(_ms(page))
        floors.append(_ms(floor))
    return pages, floors


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def sql(*statements: str, params: list[object] | tuple[object, ...] = ()) -> Callable[[], object]:
    def run() -> object:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, params)
                cursor.fetchall()
        return None

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", default="", help="Run only the cases whose name contains one of these comma-separated texts."
    )
    parser.add_argument("--markdown", action="store_true", help="Also print the results as a Markdown table.")
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
            cursor.execute("VACUUM ANALYZE")
            # The planner costs docker-compose.yml gives the server (SSD storage), for pages and floors.
            cursor.execute("SET random_page_cost = 1.1")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    client = Client()
    client.force_login(user)
    # An asset with every section filled: marketed (regulatory status rows), trials, a phase 3 history.
    asset = (Asset.objects.filter(marketed=True, trials__isnull=False, regulatory_statuses__state="withdrawn")
             .order_by("code").first()
             or Asset.objects.filter(marketed=True, trials__isnull=False).order_by("code").first()
             or Asset.objects.filter(highest_phase="phase3").order_by("code").first() or Asset.objects.first())
    assert asset is not None
    term = asset.code[:7]

    def page(url: str, params: dict[str, str] | None = None) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    def detail_floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(DETAIL_SQL[0], [asset.slug])
            cursor.fetchall()
            for statement in DETAIL_SQL[1:]:
                cursor.execute(statement, {"id": asset.pk})
                cursor.fetchall()

    def list_floor(where: str = "", params: tuple[object, ...] = ()) -> Callable[[], object]:
        return sql(LIST_SQL.format(where=where), COUNT_SQL.format(where=where), params=params)

    def first_floor(
        where: str = "", params: tuple[object, ...] = (), pair_where: str | None = None, pair: bool = True
    ) -> Callable[[], object]:
        """The first view also counts every facet value: rows, total and the facet GROUP BYs (each
        statement embeds ``where`` once, so each takes ``params`` once). ``pair=False``: without
        the pair facet's count over every asset (taken from the worker's counts)."""
        facets = facet_sql(where, pair_where, pair=pair)
        return sql(LIST_SQL.format(where=where), COUNT_SQL.format(where=where), *facets, params=params)

    def edit() -> None:
        data_version.bump()

    # As gunicorn.conf.py does in each worker after loading the app: start-up objects are frozen
    # out of the garbage collector's full passes (pages and floors below run in this process).
    page("/assets/")()
    gc.freeze()
    key = term.lower().replace("-", "")
    search_params = (f"%{key}%", f"%{term}%", key)
    # Per case: the page, then the floor of the warm and edited states (rows and total), of a cold
    # first view (plus every facet count) and of a first view after the worker's recount (plus the
    # facet counts the page still runs itself).
    cases = [
        ("asset list", page("/assets/"), list_floor(), first_floor(), list_floor()),
        (
            "list by pair EGFR x ERBB3",
            page("/assets/", {"pair": "EGFR-ERBB3"}),
            list_floor(PAIR_WHERE),
            first_floor(PAIR_WHERE, pair_where=""),
            first_floor(PAIR_WHERE, pair=False),
        ),
        (
            "list approved_by=FDA",
            page("/assets/", {"approved_by": "FDA"}),
            list_floor(APPROVED_WHERE),
            first_floor(APPROVED_WHERE),
            first_floor(APPROVED_WHERE),
        ),
        (
            f"search {term!r}",
            page("/assets/", {"q": term}),
            list_floor(SEARCH_WHERE, search_params),
            first_floor(SEARCH_WHERE, search_params),
            first_floor(SEARCH_WHERE, search_params),
        ),
        (f"asset page {asset.code}", page(asset.get_absolute_url()), detail_floor, detail_floor, detail_floor),
    ]
    three = {"target": "EGFR", "highest_phase": "phase1", "payload_class": "topo1"}
    three_where = (
        "WHERE a.id IN (SELECT x.asset_id FROM programs_assettarget x JOIN programs_target t ON t.id = x.target_id "
        "WHERE t.symbol = 'EGFR') AND a.highest_phase = 'phase1' AND a.id IN (SELECT x.asset_id FROM "
        "programs_assetpayload x JOIN programs_payload p ON p.id = x.payload_id WHERE p.payload_class = 'topo1')"
    )
    cases.insert(
        2,
        (
            "list by 3 facets",
            page("/assets/", three),
            list_floor(three_where),
            first_floor(three_where),
            first_floor(three_where),
        ),
    )
    cases += directory_cases(page)
    print(f"{Asset.objects.count()} assets on {connection.vendor}; {ROUNDS} rounds each; times in ms; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'case':45} {'page med':>9} {'page p95':>9} {'sql med':>8} {'sql p95':>8}", end=" ")
    print(f"{'ratio med':>9} {'ratio p95':>9}")

    def first_with_worker() -> None:
        cache.clear()
        warm_plain_list()  # what the worker does after every change

    states = (("warm", None), ("edited", edit), ("first", cache.clear), ("first, worker", first_with_worker))
    results: list[tuple[str, str, float, float, float, float]] = []
    for name, page_fn, floor_fn, first_floor_fn, worker_floor_fn in cases:
        if args.only and not any(part in name for part in args.only.split(",")):
            continue
        floors = {"warm": floor_fn, "edited": floor_fn, "first": first_floor_fn, "first, worker": worker_floor_fn}
        for state, before in states:
            if worker_floor_fn is None and state == "first, worker":
                continue  # only the asset list has facet counts a worker keeps warm
            page_t, floor_t = timed_pair(page_fn, floors[state], before=before)
            fm, fp = statistics.median(floor_t), p95(floor_t)
            pm, pp = statistics.median(page_t), p95(page_t)
            results.append((name, state, pm, pp, fm, fp))
            print(f"{name + ', ' + state:45} {pm:9.1f} {pp:9.1f} {fm:8.1f} {fp:8.1f} {pm / fm:9.1f} {pp / fp:9.1f}"
                  f"  (load {os.getloadavg()[0]:.1f})")
    if args.markdown:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"\n{time.strftime('%Y-%m-%d')}, {Asset.objects.count()} assets, {connection.vendor}, load average {load}\n"
        )
        print("| page | state | page p50 | page p95 | floor p50 | floor p95 | ratio p50 | ratio p95 |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, state, pm, pp, fm, fp in results:
            print(f"| {name} | {state} | {pm:.1f} | {pp:.1f} | {fm:.1f} | {fp:.1f} | {pm / fm:.1f} | {pp / fp:.1f} |")


def directory_cases(
    page: Callable[..., Callable[[], object]],
) -> list[tuple[str, Callable[[], object], Callable[[], object], Callable[[], object], Callable[[], object] | None]]:
    """Company, target and deal pages and lists and the dashboard: (name, page, floor, first floor, None).

    Their first view has no facet counts, so its floor is the warm one; the cases picked are the
    largest and a typical one (median asset count) of each kind.
    """
    f = _floors
    by_assets = list(
        Company.objects.annotate(n=Count("originated_assets")).order_by("-n", "pk").values_list("pk", "slug", "n")
    )
    big, typical = by_assets[0], by_assets[len(by_assets) // 2]
    egfr = Target.objects.get(symbol="EGFR")
    rare = (
        Target.objects.annotate(n=Count("asset_targets"))
        .filter(n__gte=1)
        .order_by("n", "symbol")
        .values_list("pk", "slug", "symbol", "n")
        .first()
    )
    assert rare is not None
    deal = Deal.objects.annotate(n=Count("deal_parties")).order_by("-n", "pk").first()
    assert deal is not None
    cases = []
    for label, (pk, slug, n) in (("company page, big", big), ("company page, typical", typical)):
        floor = f.run(f.COMPANY, {"id": pk})
        cases.append((f"{label} ({n} assets)", page(f"/companies/{slug}/"), floor, floor, None))
    for label, pk, slug in (
        ("target page EGFR", egfr.pk, egfr.slug),
        (f"target page {rare[2]} (rare)", rare[0], rare[1]),
    ):
        floor = f.run(f.TARGET, {"id": pk})
        cases.append((label, page(f"/targets/{slug}/"), floor, floor, None))
    for label, url, params, statements in (
        ("company list", "/companies/", None, f.COMPANY_LIST),
        ("target list", "/targets/", None, f.TARGET_LIST),
        ("deal list", "/deals/", None, f.deal_list()),  # rows, total and facet counts
        ("deal list, kind=licence", "/deals/", {"kind": "licence"}, f.deal_list("WHERE d.kind = 'licence'")),
        (f"deal page {deal.pk}", f"/deals/{deal.pk}/", None, f.DEAL),
        ("dashboard", "/", None, f.DASHBOARD),
    ):
        floor = f.run(statements, {"id": deal.pk})
        cases.append((label, page(url, params), floor, floor, None))
    return cases


if __name__ == "__main__":
    main()
