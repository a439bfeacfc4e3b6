"""Keep ``TargetSummary`` and ``CompanySummary`` equal to a recount of the assets, incrementally.

Who marks what: the derived recompute (``programs.derivation.derived.recompute_asset_changes``) compares the
asset's originator, targets, highest phase and pair with what the summaries last counted it under
(``Asset.counted_as``) and marks the summaries of both the old and the new ones dirty (``mark``); an
asset's deletion marks those it was counted in (``asset_deleted``). Marking flips a ``dirty`` flag
in the writer's transaction and, when a flag flipped, queues ``programs.recompute_summaries`` after
commit (``programs.jobs.send_on_commit``); the task recounts the dirty rows from the raw
tables, so it is idempotent and a lost run is made good by the sweeper (``programs.tasks.sweep_dirty``)
or by ``manage.py rebuild_summaries``, which recounts everything (bulk writers that bypass signals,
``programs.generation``, call ``rebuild``).

This module only counts and flags: it renders nothing and must not import views.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from programs import jobs
from programs.models import Asset, AssetTarget, Company, CompanySummary, Target, TargetSummary
from programs.readpath import data_version

#: Rows recounted per task run; more stay dirty and queue the next run.
BATCH = 2000


def _flag(model: type[TargetSummary] | type[CompanySummary], ids: set[int]) -> bool:
    """Mark the summaries of ``ids`` dirty (creating missing rows); True when any flag flipped."""
    if not ids:
        return False
    flipped = model.objects.filter(pk__in=ids, dirty=False).update(dirty=True)
    have = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = ids - have
    if missing:
        key = "target_id" if model is TargetSummary else "company_id"
        model.objects.bulk_create([model(**{key: pk}, dirty=True) for pk in missing], ignore_conflicts=True)
    return bool(flipped or missing)


def mark(targets: Iterable[int | None] = (), companies: Iterable[int | None] = ()) -> None:
    """Mark these targets' and companies' summaries dirty; queue their recount after commit."""
    target_ids = {pk for pk in targets if pk is not None}
    company_ids = {pk for pk in companies if pk is not None}
    # Only ids that still exist: a summary row of a deleted target would violate its foreign key.
    if target_ids:
        target_ids = set(Target.objects.filter(pk__in=target_ids).values_list("pk", flat=True))
    if company_ids:
        company_ids = set(Company.objects.filter(pk__in=company_ids).values_list("pk", flat=True))
    flipped = _flag(TargetSummary, target_ids)
    flipped = _flag(CompanySummary, company_ids) or flipped
    if flipped:
        jobs.send_on_commit("recompute_summaries")


def counted_as(originator_id: int, target_ids: Iterable[int]) -> dict[str, Any]:
    """The ``Asset.counted_as`` value of an asset with this originator and these targets."""
    return {"company": originator_id, "targets": sorted(set(target_ids))}


def asset_changed(old: dict[str, Any], new: dict[str, Any], counts_moved: bool) -> None:
    """After a derived recompute: mark what the asset left or joined, or all of it when ``counts_moved``
    (its highest phase or target pair changed, which the target pages count)."""
    old_targets, new_targets = set(old.get("targets", [])), set(new["targets"])
    targets = old_targets | new_targets if counts_moved or not old else old_targets ^ new_targets
    companies = {old.get("company"), new["company"]} if old.get("company") != new["company"] else set()
    mark(targets, companies)


def asset_deleted(asset: Asset) -> None:
    """An asset was deleted: recount the summaries it was counted in."""
    counted = asset.counted_as or {}
    mark(counted.get("targets", []), {counted.get("company"), asset.originator_id})


def _target_counts(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Recount the summaries of the targets ``ids`` from the raw tables: three grouped queries."""
    out: dict[int, dict[str, Any]] = {pk: {"n_links": 0, "n_assets": 0, "by_phase": {}, "partners": []} for pk in ids}
    links = AssetTarget.objects.filter(target_id__in=ids).order_by()
    for pk, n in links.values_list("target_id").annotate(n=Count("pk")).values_list("target_id", "n"):
        out[pk]["n_links"] = n
    phases = links.values_list("target_id", "asset__highest_phase").annotate(n=Count("asset_id", distinct=True))
    for pk, phase, n in phases:
        out[pk]["by_phase"][phase] = n
        out[pk]["n_assets"] += n
    pairs: dict[int, Counter[int]] = defaultdict(Counter)
    rows = Asset.objects.filter(Q(target_pair__low_id__in=ids) | Q(target_pair__high_id__in=ids))
    for pair_id, low, high, n in (
        rows.order_by()
        .values_list("target_pair_id", "target_pair__low_id", "target_pair__high_id")
        .annotate(n=Count("pk"))
    ):
        for side in {low, high}:
            if side in out:
                pairs[side][pair_id] += n
    for pk, counter in pairs.items():
        out[pk]["partners"] = sorted([pair_id, n] for pair_id, n in counter.items())
    return out


def target_summary(target_id: int) -> TargetSummary:
    """The target's summary counted now, unsaved: for a page whose summary is missing or being recounted."""
    return TargetSummary(target_id=target_id, dirty=False, **_target_counts([target_id])[target_id])


def _company_counts(ids: list[int]) -> dict[int, int]:
    counts = dict.fromkeys(ids, 0)
    qs = Asset.objects.filter(originator_id__in=ids).order_by().values_list("originator_id").annotate(n=Count("pk"))
    for pk, n in qs.values_list("originator_id", "n"):
        counts[pk] = n
    return counts


def _write_targets(ids: list[int]) -> None:
    now = timezone.now()
    rows = [
        TargetSummary(target_id=pk, computed_at=now, dirty=False, **values)
        for pk, values in _target_counts(ids).items()
    ]
    TargetSummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["target"],
        update_fields=["n_links", "n_assets", "by_phase", "partners", "computed_at"],
    )


def _write_companies(ids: list[int]) -> None:
    now = timezone.now()
    rows = [
        CompanySummary(company_id=pk, n_assets=n, computed_at=now, dirty=False)
        for pk, n in _company_counts(ids).items()
    ]
    CompanySummary.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["company"],
        update_fields=["n_assets", "computed_at"],
    )


@transaction.atomic
def recompute_dirty(batch: int = BATCH) -> int:
    """Recount up to ``batch`` dirty summaries of each kind; returns the rows recounted.

    The flags are cleared first, in the same transaction: an edit committed meanwhile flips one
    back (it waits on the row lock) and queues another run, so no edit is left uncounted.
    """
    written = 0
    for model, write in ((TargetSummary, _write_targets), (CompanySummary, _write_companies)):
        ids = list(
            model.objects.select_for_update().filter(dirty=True).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if ids:
            model.objects.filter(pk__in=ids).update(dirty=False)
            write(ids)
            written += len(ids)
    if written:
        data_version.bump()  # cached target and company pages show these counts
    return written


def dirty_left() -> bool:
    return TargetSummary.objects.filter(dirty=True).exists() or CompanySummary.objects.filter(dirty=True).exists()


_COUNTED_AS_SQL = {
    "postgresql": """UPDATE programs_asset a SET counted_as = jsonb_build_object('company', a.originator_id,
        'targets', coalesce((SELECT jsonb_agg(DISTINCT x.target_id) FROM programs_assettarget x
                             WHERE x.asset_id = a.id), '[]'::jsonb))""",
    "sqlite": """UPDATE programs_asset SET counted_as = json_object('company', originator_id,
        'targets', json(coalesce((SELECT json_group_array(target_id) FROM (SELECT DISTINCT target_id
            FROM programs_assettarget x WHERE x.asset_id = programs_asset.id ORDER BY target_id)), '[]')))""",
}


@transaction.atomic
def rebuild() -> int:
    """Recount every summary and record what each asset is counted under; returns the rows written.

    For bulk writers that send no signals (``programs.generation``), after a deploy that adds the
    tables (the migration runs it) and for ``manage.py rebuild_summaries``.
    """
    with connection.cursor() as cursor:
        cursor.execute(_COUNTED_AS_SQL[connection.vendor])
    target_ids = list(Target.objects.order_by("pk").values_list("pk", flat=True))
    company_ids = list(Company.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(target_ids), BATCH):
        _write_targets(target_ids[start : start + BATCH])
    for start in range(0, len(company_ids), BATCH):
        _write_companies(company_ids[start : start + BATCH])
    data_version.bump()
    return len(target_ids) + len(company_ids)
