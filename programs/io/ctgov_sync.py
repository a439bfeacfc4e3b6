"""Refresh tracked trials from ClinicalTrials.gov: the work behind ``manage.py sync_ctgov`` and its task.

Every trial with an NCT id is fetched again (``ctgov_client``, least recently synced first) and
applied, one transaction per trial, through the import's own ``attach_study`` for each asset the
trial links to, so a refresh writes exactly what an import of the same record would. What a trial's
rows looked like before and after is compared inside the transaction: a record that changes nothing
is rolled back (no history row, no version bump; only ``synced_at`` moves), and a dry run rolls
everything back. A trial that fails (the registry answers 404, 429 or 5xx after retries, the body is
not JSON or not a study, its NCT id is not the one asked for, the record breaks a domain rule) is
reported with the reason and nothing of it is written.

The derived facts and statistics of the assets a run refreshes are recomputed once per
``RECOMPUTE_EVERY`` trials (``programs.derivation.queue.recompute_once``) rather than after each trial's commit; each
trial still commits (or rolls back) on its own, and its assets are marked dirty in its transaction.
The trials share one ``StudyCache``, so companies and indications named again cost no query.

It must not print or exit (the command and the task report ``SyncReport`` their own way) and it
knows nothing of HTTP beyond ``CtgovError``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from milestones.models import (
    Milestone,
    Registry,
    Trial,
    TrialArm,
    TrialIntervention,
    TrialRegistryId,
    normalize_registry_id,
)
from milestones.vocab import MilestoneKind
from programs.derivation.queue import recompute_once
from programs.io.ctgov import StudyCache, attach_study, parse_study
from programs.io.ctgov_client import CtgovClient, CtgovError
from programs.models import Asset

REFRESHED, UNCHANGED, FAILED, SKIPPED = "refreshed", "unchanged", "failed", "skipped"
#: Trials per batched recompute: at the client's default 3 requests a second, pages lag at most ~20 s.
RECOMPUTE_EVERY = 50
# Columns whose change is not a change of what the registry says.
_BOOKKEEPING = {"id", "version", "created_at", "updated_at", "synced_at"}


@dataclass(frozen=True)
class TrialResult:
    nct_id: str
    outcome: str  # REFRESHED, UNCHANGED, FAILED or SKIPPED
    message: str = ""


@dataclass
class SyncReport:
    results: list[TrialResult] = field(default_factory=list)
    not_reached: int = 0  # trials left for the next run when the time budget ran out
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def failures(self) -> list[TrialResult]:
        return [r for r in self.results if r.outcome == FAILED]

    def summary(self) -> str:
        verb = "would be refreshed" if self.dry_run else "refreshed"
        text = (
            f"{self.count(REFRESHED)} {verb}, {self.count(UNCHANGED)} unchanged, "
            f"{self.count(FAILED)} failed, {self.count(SKIPPED)} skipped"
        )
        if self.not_reached:
            text += f"; {self.not_reached} not reached (time budget spent; first in the next run)"
        return text


class _Rollback(Exception):
    """Raised inside a trial's transaction to undo it: a dry run, or a refresh that changed nothing."""


def tracked(
    nct_ids: Iterable[str] | None = None, *, older_than: dt.timedelta | None = None, limit: int | None = None
) -> tuple[list[tuple[str, int]], list[TrialResult]]:
    """(NCT id, trial pk) of the trials to refresh, least recently synced first (never synced first), one
    NCT id per trial; and a failed result for each asked-for id that is malformed or names no tracked trial."""
    rows = TrialRegistryId.objects.filter(registry=Registry.NCT).order_by(
        F("trial__synced_at").asc(nulls_first=True), "trial_id", "value"
    )
    problems: list[TrialResult] = []
    if nct_ids is not None:
        wanted: list[str] = []
        for raw in nct_ids:
            try:
                registry, value = normalize_registry_id(raw)
            except ValueError as exc:
                problems.append(TrialResult(str(raw)[:40], FAILED, str(exc)))
                continue
            if registry != Registry.NCT:
                problems.append(TrialResult(value, FAILED, "not a ClinicalTrials.gov (NCT) id"))
            else:
                wanted.append(value)
        known = set(TrialRegistryId.objects.filter(value__in=wanted).values_list("value", flat=True))
        problems += [
            TrialResult(v, FAILED, "no tracked trial has this NCT id (import it first: import_ctgov)")
            for v in dict.fromkeys(wanted)
            if v not in known
        ]
        rows = rows.filter(value__in=wanted)
    if older_than is not None:
        rows = rows.filter(Q(trial__synced_at__isnull=True) | Q(trial__synced_at__lt=timezone.now() - older_than))
    picked: dict[int, str] = {}
    for value, trial_id in rows.values_list("value", "trial_id"):
        picked.setdefault(trial_id, value)
    pairs = [(value, trial_id) for trial_id, value in picked.items()]
    return (pairs[:limit] if limit is not None else pairs), problems


def _fingerprint(trial_id: int, nct_id: str) -> dict[str, Any]:
    """What the registry's record decides about this trial, its arms, phase starts and assets' indications."""
    fields = [f.attname for f in Trial._meta.concrete_fields if f.attname not in _BOOKKEEPING]
    trial = Trial.objects.filter(pk=trial_id).values(*fields).get()
    asset_ids = sorted(Trial.assets.through.objects.filter(trial_id=trial_id).values_list("asset_id", flat=True))
    m_fields = [f.attname for f in Milestone._meta.concrete_fields if f.attname not in _BOOKKEEPING - {"id"}]
    return {
        **{f"trial.{name}": value for name, value in trial.items()},
        "registry ids": sorted(TrialRegistryId.objects.filter(trial_id=trial_id).values_list("value", flat=True)),
        "collaborators": sorted(
            Trial.collaborators.through.objects.filter(trial_id=trial_id).values_list("company_id", flat=True)
        ),
        "conditions": sorted(
            Trial.conditions.through.objects.filter(trial_id=trial_id).values_list("indication_id", flat=True)
        ),
        "assets": asset_ids,
        "arms": list(
            TrialArm.objects.filter(trial_id=trial_id).order_by("id").values_list("label", "arm_type", "description")
        ),
        "interventions": list(
            TrialIntervention.objects.filter(arm__trial_id=trial_id)
            .order_by("arm_id", "id")
            .values_list("arm__label", "name", "role", "asset_id")
        ),
        "phase starts": list(
            Milestone.objects.filter(Q(trial_record_id=trial_id) | Q(trial_id=nct_id, kind=MilestoneKind.PHASE_STARTED))
            .order_by("pk")
            .values_list(*m_fields)
        ),
        "asset indications": sorted(
            Asset.indications.through.objects.filter(asset_id__in=asset_ids).values_list("asset_id", "indication_id")
        ),
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key.removeprefix("trial.") for key in after if before.get(key) != after[key]]


def refresh_one(
    client: CtgovClient, nct_id: str, trial_id: int, *, dry_run: bool = False, cache: StudyCache | None = None
) -> TrialResult:
    """Fetch one trial's record and apply it in one transaction; a failed result writes nothing."""
    try:
        data = client.get_study(nct_id)
        study = parse_study(data)
    except CtgovError as exc:
        return TrialResult(nct_id, FAILED, str(exc))
    if study.nct_id != nct_id:
        return TrialResult(
            nct_id, FAILED, f"asked for {nct_id}, ClinicalTrials.gov answered with the record of {study.nct_id}"
        )
    assets = list(Asset.objects.filter(trials__pk=trial_id).order_by("pk"))
    if not assets:
        return TrialResult(nct_id, SKIPPED, "the trial links to no asset; link one to refresh it")
    changes: list[str] = []
    try:
        with transaction.atomic():
            before = _fingerprint(trial_id, nct_id)
            for asset in assets:
                attach_study(asset, data, study=study, cache=cache)
            changes = _changes(before, _fingerprint(trial_id, nct_id))
            if dry_run or not changes:
                raise _Rollback
    except _Rollback:
        pass
    except (CtgovError, ValidationError, IntegrityError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return TrialResult(nct_id, FAILED, "; ".join(messages))
    codes = ", ".join(a.code for a in assets)
    if not changes:
        if not dry_run:  # the record was read and says nothing new: only the time of the check moves
            Trial.objects.filter(pk=trial_id).update(synced_at=timezone.now())
        return TrialResult(nct_id, UNCHANGED, codes)
    return TrialResult(nct_id, REFRESHED, f"{codes}: {', '.join(changes)}")


def sync_trials(
    nct_ids: Iterable[str] | None = None,
    *,
    client: CtgovClient | None = None,
    dry_run: bool = False,
    limit: int | None = None,
    older_than: dt.timedelta | None = None,
    deadline: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    on_result: Callable[[TrialResult], None] | None = None,
) -> SyncReport:
    """Refresh the tracked trials (all, or those of ``nct_ids``); ``deadline`` is a ``clock()`` value after
    which no further trial is started (the rest are counted as not reached)."""
    client = client or CtgovClient()
    todo, problems = tracked(nct_ids, older_than=older_than, limit=limit)
    report = SyncReport(dry_run=dry_run)
    for result in problems:
        report.results.append(result)
        if on_result:
            on_result(result)
    cache = StudyCache()
    for first in range(0, len(todo), RECOMPUTE_EVERY):
        with recompute_once():
            for done, (nct_id, trial_id) in enumerate(todo[first : first + RECOMPUTE_EVERY], start=first):
                if deadline is not None and clock() >= deadline:
                    report.not_reached = len(todo) - done
                    return report
                result = refresh_one(client, nct_id, trial_id, dry_run=dry_run, cache=cache)
                report.results.append(result)
                if on_result:
                    on_result(result)
    return report


__all__ = [
    "FAILED",
    "REFRESHED",
    "SKIPPED",
    "UNCHANGED",
    "SyncReport",
    "TrialResult",
    "refresh_one",
    "sync_trials",
    "tracked",
]
