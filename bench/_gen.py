"""A fast, deterministic bulk generator for the statistics benchmark (PostgreSQL).

100,000 assets and about 1,000,000 milestones by default: companies, payloads, assets, targets and
payload links via ``bulk_create``; milestones via ``COPY``. Derived columns are written directly
(the generator knows each asset's highest phase), so the benchmark measures statistics, not the
per-asset recompute. Seeded ``random.Random``: the same arguments give the same data.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from milestones.models import Milestone, SafetyEvent
from programs.models import (
    Asset,
    AssetPayload,
    AssetTarget,
    Company,
    Deal,
    DealTerms,
    Payload,
    Source,
    Target,
    TargetPair,
)
from programs.vocab import AntibodyFormat, ConjugationMethod, DealKind, PayloadClass, Phase

COUNTRIES = ["CN", "US", "JP", "KR", "DE", "GB", "FR", "CH", "AU", "CA"]
AGENCIES = ["FDA", "NMPA", "EMA", "PMDA", "MFDS"]
FILLER = ["breakthrough", "fast_track", "orphan_drug", "priority_review", "ind_submitted", "ind_accepted"]


def generate(n_assets: int = 100_000, milestones_per_asset: int = 10, seed: int = 7) -> None:
    """Create the data set (all or nothing)."""
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        src = Source.objects.create(url="https://bench.example/source", title="Benchmark source")
        companies = Company.objects.bulk_create(
            [Company(name=f"Bench Co {i}", slug=f"bench-co-{i}", country=rng.choice(COUNTRIES)) for i in range(2000)]
        )
        payloads = Payload.objects.bulk_create(
            [Payload(name=f"Bench payload {i}", payload_class=rng.choice(PayloadClass.values)) for i in range(40)]
        )
        targets = list(Target.objects.order_by("pk")[:120])
        pairs: dict[tuple[int, int], TargetPair] = {}
        phases = [p.value for p in Phase.development()]
        weights = [30, 10, 15, 15, 6, 10, 3, 6, 2, 3]
        assets = []
        plan = []
        for i in range(n_assets):
            highest = rng.choices(phases, weights)[0]
            arms = rng.sample(targets, 2) if rng.random() < 0.3 else [rng.choice(targets)]
            ind_days = rng.randint(20, 400) if Phase.rank(highest) >= Phase.rank(Phase.PHASE1) else None
            assets.append(Asset(
                code=f"BX{i:06d}", slug=f"bx{i:06d}", originator=rng.choice(companies),
                antibody_format=AntibodyFormat.BISPECIFIC if len(arms) == 2 else AntibodyFormat.MONOSPECIFIC_IGG,
                conjugation_method=rng.choice(ConjugationMethod.values), highest_phase=highest,
                highest_phase_rank=Phase.rank(highest), current_phase=highest, ind_to_dosing_days=ind_days,
                derived_dirty=False, derived_at=now,
            ))
            plan.append((arms, ind_days))
        assets = Asset.objects.bulk_create(assets, batch_size=5000)
        links, pls = [], []
        pair_of: list[tuple[int, TargetPair]] = []
        for asset, (arms, _) in zip(assets, plan, strict=True):
            for pos, t in enumerate(arms, start=1):
                links.append(AssetTarget(asset=asset, target=t, position=pos))
            for pos, p in enumerate(rng.sample(payloads, 2 if rng.random() < 0.1 else 1), start=1):
                pls.append(AssetPayload(asset=asset, payload=p, position=pos))
            if len(arms) == 2:
                low, high = sorted(arms, key=lambda t: t.pk)
                key = (low.pk, high.pk)
                if key not in pairs:
                    pairs[key] = TargetPair.objects.create(low=low, high=high)
                pair_of.append((asset.pk, pairs[key]))
        AssetTarget.objects.bulk_create(links, batch_size=10000)
        AssetPayload.objects.bulk_create(pls, batch_size=10000)
        with connection.cursor() as cur:
            cur.execute("CREATE TEMP TABLE bench_pair (asset_id bigint, pair_id bigint)")
            buf = io.StringIO("".join(f"{a}\t{p.pk}\n" for a, p in pair_of))
            cur.copy_expert("COPY bench_pair FROM STDIN", buf)
            cur.execute(
                "UPDATE programs_asset a SET target_pair_id = b.pair_id FROM bench_pair b WHERE a.id = b.asset_id"
            )
            cur.execute("DROP TABLE bench_pair")
        _milestones(rng, assets, plan, milestones_per_asset, src.pk, now)
        SafetyEvent.objects.bulk_create([
            SafetyEvent(asset=a, category="ild", term="interstitial lung disease", grade_band="any",
                        incidence_percent=Decimal(rng.randint(0, 3000)) / 100, source=src)
            for a in rng.sample(assets, n_assets // 5)
        ], batch_size=10000)
        deals = Deal.objects.bulk_create([
            Deal(title=f"Bench deal {i}", kind=rng.choice(DealKind.values), source=src,
                 announced_on=dt.date(rng.randint(2010, 2025), rng.randint(1, 12), 1),
                 territory=rng.choice(["Worldwide", "Worldwide ex-China", "China", "United States", ""]))
            for i in range(n_assets // 5)
        ], batch_size=10000)
        DealTerms.objects.bulk_create([
            DealTerms(deal=d, source=src, total_value=Decimal(rng.randint(10, 5000)), stands=True) for d in deals
        ], batch_size=10000)
        Deal.assets.through.objects.bulk_create(
            [Deal.assets.through(deal=d, asset=rng.choice(assets)) for d in deals], batch_size=10000
        )


def _milestones(rng: random.Random, assets: list[Asset], plan: list, per_asset: int, source_id: int,
                now: dt.datetime) -> None:
    """COPY the milestones: an IND clearance and first dosing per clinical asset, filler events to fill up."""
    buf = io.StringIO()
    stamp = now.isoformat()
    for asset, (_, ind_days) in zip(assets, plan, strict=True):
        base = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 4500))
        agency = rng.choice(AGENCIES)
        rows = [("ind_cleared", agency, "", base)]
        if ind_days is not None:
            rows.append(("first_patient_dosed", agency, "phase1", base + dt.timedelta(days=ind_days)))
        for k in range(per_asset - len(rows)):
            rows.append((rng.choice(FILLER), rng.choice(AGENCIES), "", base + dt.timedelta(days=30 * (k + 1) + 1)))
        for kind, ag, phase, day in rows:
            buf.write(f"{stamp}\t{stamp}\t1\t{asset.pk}\t{kind}\t{ag}\t{phase}\toccurred\t{day.isoformat()}\tday\t"
                      f"\\N\t\t\\N\t\t{source_id}\t\n")
    buf.seek(0)
    table = Milestone._meta.db_table
    with connection.cursor() as cur:
        cur.copy_expert(
            f"COPY {table} (created_at, updated_at, version, asset_id, kind, agency, phase, status, date, "
            "date_precision, planned_date, planned_precision, indication_id, trial_id, source_id, notes) FROM STDIN",
            buf,
        )
