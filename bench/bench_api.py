"""Benchmark: the large API lists against hand-written .values() + json.dumps floors of the same rows.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_i5_bench python bench/bench_api.py [--assets N]
[--only TEXT] (only the cases whose name contains TEXT, e.g. ``--only trials``)

Creates the schema (migrate) and, when the database holds fewer than N assets, bulk-creates them with
originators, two targets, a payload, designations and two milestones each (a database filled by
``manage.py generate_data`` is used as it is: its assets have trials and regulatory status). Cases:
``GET /api/v1/assets/?page_size=100`` (with every nested part: designations, targets, payloads,
indications, recent milestones, regulatory status), ``GET /api/v1/trials/?page_size=100`` (registry
ids, sponsor, collaborators, conditions, assets, arms with interventions, source) and the trials of
one asset (``?asset=<code>``). Prints the median and p95 of each path and the ratio API / floor
measured in the same run, with the load average (goals: p95 < 150 ms, <= 2x for assets, <= 3x).
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
from collections.abc import Callable
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
from django.db.models import Count  # noqa: E402
from knox.models import AuthToken  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from milestones.models import (  # noqa: E402
    Milestone,
    RegulatoryStatus,
    Trial,
    TrialArm,
    TrialIntervention,
    TrialRegistryId,
)
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
            "dar_max", "linker_type", "linker_cleavable", "linker_chemistry", "linker_payload",
            "target_pair__low__symbol", "target_pair__high__symbol", "highest_phase", "current_phase", "marketed",
            "latest_event_date", "first_ind", "first_dosed_on", "ind_to_dosing_days", "derived_at", "version",
            "created_at", "updated_at",
        )[:100]
    )
    ids = [r["id"] for r in page]
    by: dict[str, dict[int, list[object]]] = {k: {i: [] for i in ids} for k in ("d", "t", "p", "m", "i", "r")}
    for i in Asset.indications.through.objects.filter(asset_id__in=ids).values("asset_id", "indication__name"):
        by["i"][i["asset_id"]].append(i["indication__name"])
    for r in RegulatoryStatus.objects.filter(asset_id__in=ids).order_by("asset_id", "position").values(
        "asset_id", "indication__name", "agency", "state", "approval_type", "phase", "since", "since_precision"
    ):
        by["r"][r.pop("asset_id")].append(r)
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
        r["indications"], r["regulatory_status"] = by["i"][r["id"]], by["r"][r["id"]]
    return json.dumps({"results": page}, default=str).encode()


TRIAL_FIELDS = (
    "id", "acronym", "title", "phases", "study_type", "overall_status", "why_stopped", "lead_sponsor_id",
    "lead_sponsor__name", "lead_sponsor__slug", "countries", "enrollment", "enrollment_type", "start_date",
    "start_precision", "start_type", "primary_completion_date", "primary_completion_precision",
    "primary_completion_type", "completion_date", "completion_precision", "completion_type", "source__url",
    "synced_at", "version", "created_at", "updated_at",
)


def trial_floor(asset_id: int | None = None) -> bytes:
    """A page of trials by hand: .values() for the trials and each nested part, then json.dumps.

    ``asset_id``: the trials of that asset (the API resolves ``?asset=<code>`` to it in its query).
    """
    trials = Trial.objects.order_by("id")
    if asset_id is not None:
        trials = trials.filter(pk__in=Trial.assets.through.objects.filter(asset_id=asset_id).values("trial_id"))
    page = list(trials.values(*TRIAL_FIELDS)[:100])
    ids = [r["id"] for r in page]
    by: dict[str, dict[int, list[object]]] = {k: {i: [] for i in ids} for k in ("ids", "c", "i", "a", "arms")}
    for r in TrialRegistryId.objects.filter(trial_id__in=ids).order_by("registry", "value").values(
        "trial_id", "registry", "value"
    ):
        by["ids"][r.pop("trial_id")].append(r)
    for c in Trial.collaborators.through.objects.filter(trial_id__in=ids).values(
        "trial_id", "company_id", "company__name", "company__slug"
    ):
        by["c"][c.pop("trial_id")].append(c)
    for i in Trial.conditions.through.objects.filter(trial_id__in=ids).values("trial_id", "indication__name"):
        by["i"][i["trial_id"]].append(i["indication__name"])
    for a in Trial.assets.through.objects.filter(trial_id__in=ids).values(
        "trial_id", "asset_id", "asset__code", "asset__slug"
    ):
        by["a"][a.pop("trial_id")].append(a)
    arms: dict[int, dict[str, object]] = {}
    for arm in TrialArm.objects.filter(trial_id__in=ids).order_by("id").values(
        "id", "trial_id", "label", "arm_type", "description"
    ):
        arm["interventions"] = []
        arms[arm["id"]] = arm
        by["arms"][arm["trial_id"]].append(arm)
    if arms:
        for iv in TrialIntervention.objects.filter(arm_id__in=list(arms)).order_by("id").values(
            "arm_id", "name", "role", "asset__code"
        ):
            arms[iv.pop("arm_id")]["interventions"].append(iv)  # type: ignore[attr-defined]
    for r in page:
        r["registry_ids"], r["collaborators"], r["conditions"] = by["ids"][r["id"]], by["c"][r["id"]], by["i"][r["id"]]
        r["assets"], r["arms"] = by["a"][r["id"]], by["arms"][r["id"]]
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
    parser.add_argument("--only", default="", help="time only the cases whose name contains this text")
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
    # The asset whose trials the filtered case reads: the one with the most trials (a busy programme).
    busiest = (Trial.assets.through.objects.values("asset_id").annotate(n=Count("id")).order_by("-n", "asset_id")
               .first())
    cases: list[tuple[str, str, Callable[[], bytes], float]] = [
        ("GET /api/v1/assets/?page_size=100", "/api/v1/assets/?page_size=100", floor_rows, 2.0),
        ("GET /api/v1/trials/?page_size=100", "/api/v1/trials/?page_size=100", trial_floor, 3.0),
    ]
    if busiest is not None:
        code = Asset.objects.get(pk=busiest["asset_id"]).code
        cases.append((f"GET /api/v1/trials/?asset={code} ({busiest['n']} trials)",
                      f"/api/v1/trials/?asset={code}&page_size=100",
                      lambda: trial_floor(busiest["asset_id"]), 3.0))
    cases = [case for case in cases if args.only in case[0]]
    for _, url, floor, _ in cases:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert len(response.json()["results"]) == len(json.loads(floor())["results"]), url

    # As gunicorn.conf.py does in each worker after loading the app: start-up objects are frozen
    # out of the garbage collector's full passes (both paths run in this process).
    gc.freeze()
    print(f"assets in database: {Asset.objects.count()}, trials: {Trial.objects.count()}; "
          f"load average {os.getloadavg()[0]:.1f}; {args.runs} runs; times in ms")
    for name, url, floor, goal in cases:
        def api(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200  # the body was checked above; parsing it is not the server's time

        times = alternate({"api": api, "floor": floor}, args.runs)
        api_ms, floor_ms = statistics.median(times["api"]), statistics.median(times["floor"])
        api_p95, floor_p95 = p95(times["api"]), p95(times["floor"])
        print(f"{name}: API median {api_ms:.1f} p95 {api_p95:.1f}; floor median {floor_ms:.1f} p95 {floor_p95:.1f}; "
              f"ratio {api_ms / floor_ms:.2f}x / {api_p95 / floor_p95:.2f}x (goal <= {goal:g}x)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]

if __name__ == "__main__":
    main()
