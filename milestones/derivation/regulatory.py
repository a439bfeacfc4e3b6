"""What is approved where, for what, since when: an asset's state per (indication, agency).

Pure: takes the asset's milestones (model instances or anything with the same attributes) and returns
plain rows; no queries, no writes (``programs.derivation.derived`` writes them as ``RegulatoryStatus``). A
withdrawal is scoped to its indication at its agency, so one withdrawn indication never marks a marketed
drug discontinued; a sponsor's discontinuation without an indication stops development everywhere but
leaves standing approvals standing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from milestones.vocab import ApprovalType, MilestoneKind, MilestoneStatus, RegulatoryState
from programs.vocab import Phase

_FILED = (MilestoneKind.FILING_SUBMITTED, MilestoneKind.FILING_ACCEPTED)
_LOST = {MilestoneKind.AUTHORISATION_WITHDRAWN: RegulatoryState.WITHDRAWN,
         MilestoneKind.AUTHORISATION_LAPSED: RegulatoryState.LAPSED}
_STANDING = (RegulatoryState.APPROVED,)


@dataclass
class PairStatus:
    """One (indication, agency) row; ``indication_id``/``agency`` None/"" when the events were unscoped."""

    indication_id: int | None
    agency: str
    state: str
    approval_type: str = ""
    converted: bool = False
    phase: str = ""
    since: dt.date | None = None
    since_precision: str = "unknown"
    _accelerated_before: bool = False


@dataclass
class AssetRegulatory:
    rows: list[PairStatus]
    marketed: bool
    discontinued: bool  # development stopped asset-wide and nothing stands


def _order(m: Any) -> tuple[int, dt.date, int]:
    # Undated events first: a dated event is the better evidence of the current state.
    return (0 if m.date is None else 1, m.date or dt.date.min, m.pk or 0)


def regulatory_status(milestones: Iterable[Any], phase_of: Callable[[Any], str | None]) -> AssetRegulatory:
    """The per-(indication, agency) states of an asset, from its occurred milestones in date order.

    ``phase_of`` maps a milestone to the development phase it proves (``programs.derivation.derived.milestone_phase``).
    """
    pairs: dict[tuple[int | None, str], PairStatus] = {}
    stopped_everywhere = False
    wide_phase = ""  # the highest phase asset-wide development has reached so far

    def pair(m: Any) -> PairStatus:
        key = (m.indication_id, m.agency or "")
        row = pairs.get(key)
        if row is None:
            row = pairs[key] = PairStatus(m.indication_id, m.agency or "", RegulatoryState.IN_DEVELOPMENT)
        return row

    def move(row: PairStatus, state: str, m: Any) -> None:
        row.state, row.since, row.since_precision = state, m.date, m.date_precision

    occurred = sorted((m for m in milestones if m.status == MilestoneStatus.OCCURRED), key=_order)
    for m in occurred:
        kind = m.kind
        if kind in MilestoneKind.authorisations():
            row = pair(m)
            if (kind == MilestoneKind.LABEL_EXPANSION and not m.approval_type and row.approval_type
                    and row.state == RegulatoryState.APPROVED):
                continue  # a label expansion of a standing approval changes nothing for its pair
            kind_type = m.approval_type or (row.approval_type if kind == MilestoneKind.LABEL_EXPANSION else "")
            row.converted = kind_type == ApprovalType.FULL and row._accelerated_before
            if kind_type in (ApprovalType.ACCELERATED, ApprovalType.CONDITIONAL):
                row._accelerated_before = True
            row.approval_type = kind_type
            row.phase = Phase.APPROVED
            move(row, RegulatoryState.APPROVED, m)
        elif kind in _LOST:
            row = pair(m)
            move(row, _LOST[kind], m)
            row.converted = False
        elif kind == MilestoneKind.DISCONTINUATION:
            if m.indication_id is None and not m.agency:
                stopped_everywhere = True
                for row in pairs.values():
                    if row.state not in _STANDING and row.state not in _LOST.values():
                        move(row, RegulatoryState.DISCONTINUED, m)
                continue
            matched = [r for (ind, ag), r in pairs.items()
                       if ind == m.indication_id and (not m.agency or ag == m.agency) and r.state not in _STANDING]
            for row in matched or [pair(m)]:
                move(row, RegulatoryState.DISCONTINUED, m)
        elif kind in _FILED:
            row = pair(m)
            if row.state not in _STANDING:
                move(row, RegulatoryState.FILED, m)
                row.phase = Phase.FILED
        elif kind == MilestoneKind.COMPLETE_RESPONSE:
            row = pair(m)
            if row.state == RegulatoryState.FILED:
                move(row, RegulatoryState.IN_DEVELOPMENT, m)
                row.phase = ""
        else:
            phase = phase_of(m)
            if not phase or Phase.rank(phase) < Phase.rank(Phase.IND):
                continue
            stopped_everywhere = False  # development resumed after an asset-wide stop
            if m.indication_id is None and not m.agency:
                # Asset-wide development (a registry's phase start names no agency) is no row of its own,
                # but every pair still in development has reached it: its trials run under those INDs.
                if Phase.rank(phase) > Phase.rank(wide_phase or Phase.IND):
                    wide_phase = phase
                for row in pairs.values():
                    if row.state == RegulatoryState.IN_DEVELOPMENT and Phase.rank(phase) > Phase.rank(row.phase):
                        row.phase = phase
                        move(row, RegulatoryState.IN_DEVELOPMENT, m)
                continue
            row = pair(m)
            if wide_phase and Phase.rank(wide_phase) > Phase.rank(phase):
                phase = wide_phase  # an IND cleared at a second agency after phase 2 started: still phase 2
            if row.state in (RegulatoryState.IN_DEVELOPMENT, RegulatoryState.DISCONTINUED):
                if row.state == RegulatoryState.DISCONTINUED or Phase.rank(phase) > Phase.rank(row.phase):
                    row.phase = phase
                    move(row, RegulatoryState.IN_DEVELOPMENT, m)
    rows = sorted(pairs.values(), key=lambda r: (_STATE_ORDER.get(r.state, 9), r.agency, r.indication_id or 0))
    marketed = any(r.state in _STANDING for r in rows)
    return AssetRegulatory(rows=rows, marketed=marketed, discontinued=stopped_everywhere and not marketed)


_STATE_ORDER = {RegulatoryState.APPROVED: 0, RegulatoryState.FILED: 1, RegulatoryState.IN_DEVELOPMENT: 2,
                RegulatoryState.WITHDRAWN: 3, RegulatoryState.LAPSED: 4, RegulatoryState.DISCONTINUED: 5}
