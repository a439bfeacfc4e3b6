"""Benchmark: GET /api/v1/assets/?page_size=100 against a hand-written .values() + json.dumps floor.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_i5_bench python bench/bench_api.py [--assets N]

Creates the schema (migrate) and, when the database holds fewer than N assets, bulk-creates them with
originators, two targets, a payload, designations and two milestones each. Prints the median of
each path and the ratio API / floor measured in the same run (goal: <= 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adctrack.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from milestones.models import Milestone  # noqa: E402
from programs.models import (  # noqa: E402
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    Payload,
    Source,
    Target,
    TargetPair,
)
from programs.roles import EDITOR, ensure_roles  # noqa: E402

BATCH = 5000


def seed(n: int) -> None:
    """Bulk-create assets until there are ``n`` (idempotent on re-runs)."""
    have = Asset.objects.count()
    if have >= n:
        return
    companies = Company.objects.bulk_create(
        [Company(name=f"Bench Co {i}", slug=f"bench-co-{i}") for i in range(200)], ignore_conflicts=True
    )
    companies = list(Company.objects.filter(slug__startswith="bench-co-"))
    targets = [Target(symbol=f"BT{i}", name=f"bench target {i}", slug=f"bt{i}", normalized=f"bt{i}") for i in range(50)]
    Target.objects.bulk_create(targets, ignore_conflicts=True)
    targets = list(Target.objects.filter(symbol__startswith="BT").order_by("pk"))
    payload, _ = Payload.objects.get_or_create(name="Bench payload", defaults={"payload_class": "topo1"})
    source, _ = Source.objects.get_or_create(url="https://bench.example.com/source")
    pairs = {}
    for i in range(0, len(targets) - 1, 2):
        pairs[i] = TargetPair.for_targets(targets[i], targets[i + 1])
    for start in range(have, n, BATCH):
        stop = min(n, start + BATCH)
        assets = Asset.objects.bulk_create([
            Asset(code=f"BENCH-{i:06d}", slug=f"bench-{i:06d}", originator=companies[i % len(companies)],
                  target_pair=pairs[(i % 25) * 2], highest_phase="phase1", highest_phase_rank=3,
                  search_text=f"BENCH-{i:06d}")
            for i in range(start, stop)
        ])
        AssetDesignation.objects.bulk_create(
            [AssetDesignation(asset=a, name=a.code, kind="code", normalized=a.code.lower().replace("-", ""))
             for a in assets]
            + [AssetDesignation(asset=a, name=f"bz {a.code}", kind="alias",
                                normalized="bz" + a.code.lower().replace("-", "")) for a in assets]
        )
        AssetTarget.objects.bulk_create(
            [AssetTarget(asset=a, target=targets[(i % 25) * 2 + arm], position=arm + 1)
             for i, a in enumerate(assets, start=start) for arm in (0, 1)]
        )
        AssetPayload.objects.bulk_create([AssetPayload(asset=a, payload=payload) for a in assets])
        Milestone.objects.bulk_create(
            [Milestone(asset=a, kind="ind_cleared", agency="FDA", date=dt.date(2024, 1, 1 + i % 28), source=source)
             for i, a in enumerate(assets)]
            + [Milestone(asset=a, kind="phase_started", phase="phase1", date=dt.date(2024, 6, 1), source=source)
               for a in assets]
        )
        print(f"  seeded {stop} assets", flush=True)


def floor_rows() -> bytes:
    """The same page by hand: .values() for the assets and each nested part, then json.dumps."""
    page = list(
        Asset.objects.order_by("code").values(
            "id", "code", "slug", "inn", "originator__name", "description", "status", "antibody_format",
            "fc_engineering", "masked", "conjugation_method", "conjugation_technology", "dar", "dar_kind",
            "linker_cleavable", "linker_chemistry", "target_pair__low__symbol", "target_pair__high__symbol",
            "highest_phase", "current_phase", "latest_event_date", "first_ind", "first_dosed_on",
            "ind_to_dosing_days", "derived_at", "version", "created_at", "updated_at",
        )[:100]
    )
    ids = [r["id"] for r in page]
    by: dict[str, dict[int, list[object]]] = {k: {i: [] for i in ids} for k in ("d", "t", "p", "m")}
    for d in AssetDesignation.objects.filter(asset_id__in=ids).values("asset_id", "name", "kind"):
        by["d"][d.pop("asset_id")].append(d)
    for t in AssetTarget.objects.filter(asset_id__in=ids).values(
        "asset_id", "position", "target__symbol", "target__name"
    ):
        by["t"][t.pop("asset_id")].append(t)
    for p in AssetPayload.objects.filter(asset_id__in=ids).values(
        "asset_id", "position", "payload__name", "payload__payload_class"
    ):
        by["p"][p.pop("asset_id")].append(p)
    for m in Milestone.objects.filter(asset_id__in=ids).order_by("-date").values(
        "asset_id", "id", "kind", "agency", "phase", "status", "date", "date_precision"
    ):
        lst = by["m"][m.pop("asset_id")]
        if len(lst) < 3:
            lst.append(m)
    for r in page:
        r["designations"], r["targets"] = by["d"][r["id"]], by["t"][r["id"]]
        r["payloads"], r["latest_milestones"] = by["p"][r["id"]], by["m"][r["id"]]
    return json.dumps({"results": page}, default=str).encode()


def alternate(paths: dict[str, object], runs: int) -> dict[str, list[float]]:
    """Time each path ``runs`` times, the paths alternating round by round, so a change in the
    machine's load falls on both alike."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    for fn in paths.values():
        fn()  # type: ignore[operator]
    for _ in range(runs):
        for name, fn in paths.items():
            t0 = time.perf_counter()
            fn()  # type: ignore[operator]
            times[name].append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed(args.assets)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
    groups = ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench-editor")
    user.groups.set([groups[EDITOR]])
    _, token = AuthToken.objects.create(user=user, expiry=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    url = "/api/v1/assets/?page_size=100"
    first = client.get(url)
    assert first.status_code == 200 and len(first.json()["results"]) == 100
    assert len(json.loads(floor_rows())["results"]) == 100

    def api() -> None:
        response = client.get(url)
        assert response.status_code == 200  # the body was checked above; parsing it is not the server's time

    # As gunicorn.conf.py does in each worker after loading the app: start-up objects are frozen
    # out of the garbage collector's full passes (both paths run in this process).
    gc.freeze()
    times = alternate({"api": api, "floor": floor_rows}, args.runs)
    api_ms, floor_ms = statistics.median(times["api"]), statistics.median(times["floor"])
    print(f"assets in database: {Asset.objects.count()}")
    print(f"API  GET /api/v1/assets/?page_size=100  median {api_ms:.1f} ms")
    print(f"floor .values() + json.dumps              median {floor_ms:.1f} ms")
    print(f"ratio API / floor: {api_ms / floor_ms:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    main()
