"""The regulatory part of a generated asset's history: filings, approvals and what follows them.

Why a module of its own: ``programs.generation`` decides an asset's stage, markets and indications;
this module turns "filed" or "approved" into the events a real programme shows, in realistic
proportions: approval types per agency (FDA accelerated about 30 %, NMPA conditional about 40 %, the
others mostly full), accelerated / conditional approvals later converted to full, a second indication
(a label expansion, or a second approval the same day), EU approvals as European Commission decisions
after a CHMP opinion, rare withdrawals or lapses per (indication, agency) and rarer re-approvals.
Pure: it draws from the random generator it is given and returns event descriptions in date order;
it dates nothing and writes nothing (the generator does both).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from milestones.vocab import ApprovalType, MilestoneKind, Outcome

# Chance of each approval type per agency; what is left over is a full (regular) approval.
SPECIAL_APPROVAL = {
    "FDA": (ApprovalType.ACCELERATED, 0.30),
    "NMPA": (ApprovalType.CONDITIONAL, 0.40),
    "EC": (ApprovalType.CONDITIONAL, 0.10),
    "EMA": (ApprovalType.CONDITIONAL, 0.10),
    "PMDA": (ApprovalType.CONDITIONAL, 0.05),
    "MFDS": (ApprovalType.CONDITIONAL, 0.05),
}
CONVERTED = 0.5  # of accelerated / conditional approvals, later converted to full
OTHER_MARKET = 0.45  # of an approved asset's other markets, also approved
SECOND_INDICATION = 0.3  # of approved assets with another indication in development
SAME_DAY = 0.3  # of second indications, approved the same day as the first (else a label expansion later)
EC_DECISION = 0.7  # of EMA filers, approved as a Commission decision after a CHMP opinion
WITHDRAWN = 0.03  # of approvals, withdrawn (or lapsed, when conditional) later
REAPPROVED = 0.25  # of withdrawals, approved again later
CRL = 0.1  # of filings still under review, answered by a complete response letter


@dataclass(frozen=True)
class Ev:
    """One event to date: ``same_day`` shares the previous event's date; ``lifts`` lifts the last hold."""

    kind: str
    agency: str
    phase: str = ""
    indication: int | None = None
    approval_type: str = ""
    outcome: str = ""
    same_day: bool = False
    lifts: bool = False


def approval_type(rng: random.Random, agency: str) -> str:
    special, chance = SPECIAL_APPROVAL.get(agency, (ApprovalType.CONDITIONAL, 0.0))
    return special if rng.random() < chance else ApprovalType.FULL


def _approval(rng: random.Random, agency: str, indication: int, second: int | None) -> list[Ev]:
    """One (indication, agency) approval and its sequel: conversion, second indication, withdrawal."""
    kind_type = approval_type(rng, agency)
    out = [Ev(MilestoneKind.APPROVAL, agency, indication=indication, approval_type=kind_type)]
    if second is not None and rng.random() < SAME_DAY:
        out.append(
            Ev(
                MilestoneKind.APPROVAL,
                agency,
                indication=second,
                approval_type=approval_type(rng, agency),
                same_day=True,
            )
        )
        second = None
    if kind_type != ApprovalType.FULL and rng.random() < CONVERTED:
        out.append(Ev(MilestoneKind.APPROVAL, agency, indication=indication, approval_type=ApprovalType.FULL))
        kind_type = ApprovalType.FULL
    if second is not None:
        out.append(
            Ev(MilestoneKind.LABEL_EXPANSION, agency, indication=second, approval_type=approval_type(rng, agency))
        )
    if rng.random() < WITHDRAWN:
        lapsed = kind_type == ApprovalType.CONDITIONAL and rng.random() < 0.5
        out.append(
            Ev(
                MilestoneKind.AUTHORISATION_LAPSED if lapsed else MilestoneKind.AUTHORISATION_WITHDRAWN,
                agency,
                indication=indication,
            )
        )
        if rng.random() < REAPPROVED:
            out.append(Ev(MilestoneKind.APPROVAL, agency, indication=indication, approval_type=ApprovalType.FULL))
    return out


def regulatory_events(
    rng: random.Random, agencies: list[str], indications: list[int], *, filed: bool, approved: bool
) -> list[Ev]:
    """Filing and approval events of an asset that reached ``filed`` (or ``approved``), in date order.

    The first market always files (and, when approved, is approved) for the first indication; the
    other markets follow with ``OTHER_MARKET`` chance each once the asset is approved somewhere.
    """
    if not filed:
        return []
    indication = indications[0]
    second = indications[1] if len(indications) > 1 and rng.random() < SECOND_INDICATION else None
    out: list[Ev] = []
    markets = [agencies[0]]
    if approved:
        markets += [a for a in agencies[1:] if rng.random() < OTHER_MARKET]
    for i, agency in enumerate(markets):
        out += [
            Ev(MilestoneKind.FILING_SUBMITTED, agency, indication=indication),
            Ev(MilestoneKind.FILING_ACCEPTED, agency, indication=indication),
        ]
        if not approved:
            if rng.random() < CRL:
                out.append(Ev(MilestoneKind.COMPLETE_RESPONSE, agency, indication=indication))
            continue
        approver = agency
        if agency == "EMA" and rng.random() < EC_DECISION:
            out.append(Ev(MilestoneKind.CHMP_OPINION, "EMA", indication=indication, outcome=Outcome.POSITIVE))
            approver = "EC"
        out += _approval(rng, approver, indication, second if i == 0 else None)
    return out
