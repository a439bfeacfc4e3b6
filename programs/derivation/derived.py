"""Per-asset derived facts, computed from milestones and never typed by hand.

``recompute_asset`` is idempotent: it reads the asset's milestones and targets and writes the derived
columns with one UPDATE, so running it twice, or in two workers at once, leaves the same row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from django.db import connection, transaction
from django.db.models import IntegerField, Value
from django.utils import timezone

from milestones.derivation.regulatory import AssetRegulatory, regulatory_status
from milestones.models import Milestone, RegulatoryStatus
from milestones.vocab import HoldType, MilestoneKind, MilestoneStatus, RegulatoryState
from programs.derivation import summaries
from programs.models import Asset, AssetDesignation, AssetTarget, CompanyAlias, Deal, TargetPair
from programs.readpath import data_version
from programs.vocab import AssetStatus, Phase

_KIND_PHASE = {
    MilestoneKind.IND_SUBMITTED: Phase.IND_ENABLING,
    MilestoneKind.IND_ACCEPTED: Phase.IND_ENABLING,
    MilestoneKind.IND_CLEARED: Phase.IND,
    MilestoneKind.CTA_APPROVED: Phase.IND,
    MilestoneKind.FIRST_PATIENT_DOSED: Phase.PHASE1,
    MilestoneKind.FILING_SUBMITTED: Phase.FILED,
    MilestoneKind.FILING_ACCEPTED: Phase.FILED,
    MilestoneKind.APPROVAL: Phase.APPROVED,
    MilestoneKind.LABEL_EXPANSION: Phase.APPROVED,
}


def milestone_phase(m: Milestone) -> str | None:
    """The development phase an occurred milestone proves the asset reached, if any."""
    if m.kind == MilestoneKind.PHASE_STARTED:
        return m.phase or None
    if m.kind == MilestoneKind.FIRST_PATIENT_DOSED and m.phase:
        return m.phase
    return _KIND_PHASE.get(MilestoneKind(m.kind)) if m.kind in _KIND_PHASE else None


class Event(Protocol):
    """What ``first_ind_events`` reads of a milestone: a model instance or a row read with ``.values()``."""

    kind: str
    agency: str
    date: dt.date | None


E = TypeVar("E", bound=Event)


def first_ind_events(occurred: Iterable[E]) -> dict[str, E]:
    """The first IND clearance / CTA approval per agency among ``occurred`` events, taken in date order
    (undated last): what ``Asset.first_ind`` records, and what the asset page shows it from."""
    first: dict[str, E] = {}
    for m in occurred:
        if m.kind in (MilestoneKind.IND_CLEARED, MilestoneKind.CTA_APPROVED) and m.agency:
            first.setdefault(m.agency, m)
    return first


def derive(asset: Asset, milestones: list[Milestone]) -> dict[str, object]:
    """The derived column values for ``asset`` given all its milestones (pure; no queries)."""
    return derive_all(asset, milestones)[0]


def derive_all(asset: Asset, milestones: list[Milestone]) -> tuple[dict[str, object], AssetRegulatory]:
    """``derive``'s column values and the asset's regulatory status per (indication, agency) (pure)."""
    occurred = [m for m in milestones if m.status == MilestoneStatus.OCCURRED]
    highest = Phase.PRECLINICAL.value
    for m in occurred:
        phase = milestone_phase(m)
        if phase and Phase.rank(phase) > Phase.rank(highest):
            highest = phase
    dated = sorted((m for m in occurred if m.date), key=lambda m: (m.date, m.pk))
    undated = [m for m in occurred if m.date is None]
    # An event whose date the source did not state is still the latest news when nothing is dated.
    latest = dated[-1] if dated else (max(undated, key=lambda m: m.pk) if undated else None)
    first_ind = {agency: m.date.isoformat() if m.date else None
                 for agency, m in first_ind_events(dated + undated).items()}
    by_agency: dict[str, str] = {}
    by_indication: dict[str, str] = {}
    for m in occurred:
        phase = milestone_phase(m)
        if not phase:
            continue
        for table, key in ((by_agency, m.agency), (by_indication, str(m.indication_id or ""))):
            if key and Phase.rank(phase) > Phase.rank(table.get(key)):
                table[key] = phase
    today = timezone.localdate()
    overdue = sum(1 for m in milestones if m.is_overdue(today))
    dosed = [m.date for m in dated if m.kind == MilestoneKind.FIRST_PATIENT_DOSED]
    dosed_on: dt.date | None = dosed[0] if dosed else None
    first_ind_date = min((dt.date.fromisoformat(d) for d in first_ind.values() if d), default=None)
    reg = regulatory_status(milestones, milestone_phase)
    current = highest
    if reg.marketed:
        current = Phase.APPROVED.value  # while one (indication, agency) approval stands
    else:
        if highest == Phase.APPROVED:
            # Every authorisation was withdrawn or lapsed: the phase it is in is what is still in development.
            developing = [r.phase for r in reg.rows if r.state in (RegulatoryState.IN_DEVELOPMENT,
                                                                   RegulatoryState.FILED) and r.phase]
            current = max(developing, key=Phase.rank) if developing else Phase.DISCONTINUED.value
        # A full (or unspecified) hold suspends the asset; a partial hold lets the rest go on.
        holds = [m for m in dated if m.kind == MilestoneKind.HOLD_LIFTED
                 or (m.kind == MilestoneKind.CLINICAL_HOLD and m.hold_type != HoldType.PARTIAL)]
        if holds and holds[-1].kind == MilestoneKind.CLINICAL_HOLD:
            current = Phase.SUSPENDED.value
        if asset.status == AssetStatus.DISCONTINUED or reg.discontinued:
            current = Phase.DISCONTINUED.value
    return {
        "highest_phase": highest,
        "highest_phase_rank": Phase.rank(highest),
        "current_phase": current,
        "latest_milestone_id": latest.pk if latest else None,
        "latest_event_date": latest.date if latest else None,
        "first_ind": first_ind,
        "phase_by_agency": by_agency,
        "phase_by_indication": by_indication,
        "overdue_planned": overdue,
        "first_dosed_on": dosed_on,
        "ind_to_dosing_days": (dosed_on - first_ind_date).days if dosed_on and first_ind_date else None,
        "marketed": reg.marketed,
    }, reg


def _names_and_arms(asset: Asset) -> tuple[str, list[int]]:
    """The asset's search text, and its targets' ids by position: one query.

    The search text is every name the asset can be searched by: code, INN, originator, designations,
    target symbols and aliases, the originator's aliases and the deal partners. The parts are
    ORM-compiled and joined with ``UNION ALL`` (portable SQL): one round trip instead of six keeps the
    asset task a handful of queries, and on a busy database it is the round trips that cost.
    """
    none = Value(None, output_field=IntegerField())
    arms = AssetTarget.objects.filter(asset_id=asset.pk).order_by()
    parts = [  # (section, position, target id of an arm, name)
        AssetDesignation.objects.filter(asset_id=asset.pk).values_list(Value(1), Value(0), none, "name"),
        arms.values_list(Value(2), "position", "target_id", "target__symbol"),
        arms.filter(target__aliases__isnull=False).values_list(Value(3), "position", none, "target__aliases__name"),
        CompanyAlias.objects.filter(company_id=asset.originator_id).values_list(Value(4), Value(0), none, "name"),
        Deal.objects.filter(assets=asset.pk, parties__isnull=False).values_list(Value(5), Value(0), none,
                                                                               "parties__name"),
    ]
    sql: list[str] = []
    params: list[object] = []
    for qs in parts:
        part_sql, part_params = qs.order_by().query.sql_with_params()
        sql.append(part_sql)
        params += part_params
    with connection.cursor() as cur:
        cur.execute(" UNION ALL ".join(sql) + " ORDER BY 1, 2, 4", params)
        rows = cur.fetchall()
    names = [asset.code, asset.inn, asset.originator.name, *(name for _, _, _, name in rows)]
    text = " ".join(dict.fromkeys(n for n in names if n))
    return text, [target_id for section, _, target_id, _ in rows if section == 2]


def _target_pair_id(asset: Asset, arms: list[int]) -> int | None:
    """The asset's target pair when it binds two targets (or one target twice), else None.

    No query when the stored pair still matches the first two arms (the usual case): the asset row was
    read with its pair.
    """
    if len(arms) < 2:
        return None
    low, high = sorted(arms[:2])
    pair = asset.target_pair
    if pair is not None and (pair.low_id, pair.high_id) == (low, high):
        return pair.pk
    return TargetPair.objects.get_or_create(low_id=low, high_id=high)[0].pk


def _write_regulatory_status(asset_id: int, reg: AssetRegulatory) -> None:
    """Replace the asset's ``RegulatoryStatus`` rows; no write at all when they are unchanged."""
    fields = ("indication_id", "agency", "state", "approval_type", "converted", "phase", "since", "since_precision")
    new = [tuple(getattr(r, f) for f in fields) for r in reg.rows]
    old = list(RegulatoryStatus.objects.filter(asset_id=asset_id).order_by("position").values_list(*fields))
    if old == new:
        return
    RegulatoryStatus.objects.filter(asset_id=asset_id).delete()
    RegulatoryStatus.objects.bulk_create(
        RegulatoryStatus(asset_id=asset_id, position=i, **dict(zip(fields, row, strict=True)))
        for i, row in enumerate(new)
    )


DERIVED_STAT_FIELDS = ("highest_phase", "current_phase", "target_pair_id", "ind_to_dosing_days")


@transaction.atomic
def recompute_asset(asset_id: int) -> bool:
    """Recompute one asset's derived facts; returns False when the asset no longer exists."""
    return recompute_asset_changes(asset_id) is not None


@transaction.atomic(savepoint=False)  # inside the task's transaction: no savepoint round trips
def recompute_asset_changes(asset_id: int) -> set[str] | None:
    """Recompute one asset under a row lock; the derived fields statistics read that changed.

    The row lock (``select_for_update``; a no-op on SQLite, which serialises writers anyway) makes two
    workers recomputing the same asset take turns, and both write the same values. The dirty flag is
    cleared inside the same transaction: an edit committed meanwhile waits on the lock, then finds the
    flag clear and enqueues another run. Returns None when the asset no longer exists.
    """
    # Six statements in all: lock and read the asset with its originator and pair, its milestones, its
    # regulatory rows, its names and arms, the UPDATE; two more when the regulatory rows changed and one
    # when the asset gained a new target pair; a few more when it moved between summaries (its
    # originator, targets, highest phase or pair changed: ``programs.derivation.summaries.asset_changed``).
    asset = (Asset.objects.select_for_update(of=("self",)).select_related("originator", "target_pair")
             .filter(pk=asset_id).first())
    if asset is None:
        return None
    milestones = list(Milestone.objects.filter(asset_id=asset_id))
    values, reg = derive_all(asset, milestones)
    _write_regulatory_status(asset_id, reg)
    search_text, arms = _names_and_arms(asset)
    pair_id = _target_pair_id(asset, arms)
    before = {f: getattr(asset, f) for f in DERIVED_STAT_FIELDS}
    counted = summaries.counted_as(asset.originator_id, arms)
    Asset.objects.filter(pk=asset_id).update(
        **values,
        target_pair_id=pair_id,
        search_text=search_text,
        counted_as=counted,
        derived_at=timezone.now(),
        derived_dirty=False,
    )
    after = {**values, "target_pair_id": pair_id}
    summaries.asset_changed(asset.counted_as or {}, counted, counts_moved=any(
        before[f] != after[f] for f in ("highest_phase", "target_pair_id")))
    data_version.bump()  # a queryset update sends no post_save: cached facets and pages must still move
    return {f for f in DERIVED_STAT_FIELDS if before[f] != after[f]}
