"""Generated trials: one ``Trial`` per group of phase-start milestones, linked both ways.

Why a module of its own: ``programs.generation`` dates an asset's milestones; this module groups its
phase starts into the trials a registry would list (a phase 1 or 1/2 study covers every indication of
the asset; from phase 2 on, one study per indication), gives each a registry id, phases, an overall
status consistent with where the asset stands, its originator as sponsor, the countries of the markets
it runs in, enrollment and start / primary completion / completion dates, and points the milestones'
``trial_record`` (and ``trial_id``) at it. The ids are ``NCT9`` followed by seven digits of the trial's
primary key: unique, valid in shape, and beyond the range ClinicalTrials.gov has issued, so they cannot
be mistaken for real studies. Writes only through the generator's bulk writer; no queries.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Protocol

from milestones.models import Trial, TrialRegistryId
from milestones.vocab import DateType, MilestoneKind, MilestoneStatus, StudyType, TrialPhase, TrialStatus
from programs.vocab import DatePrecision, Phase

TRIAL_PHASES: dict[str, list[str]] = {
    Phase.PHASE1: [TrialPhase.PHASE1],
    Phase.PHASE1_2: [TrialPhase.PHASE1, TrialPhase.PHASE2],
    Phase.PHASE2: [TrialPhase.PHASE2],
    Phase.PHASE2_3: [TrialPhase.PHASE2, TrialPhase.PHASE3],
    Phase.PHASE3: [TrialPhase.PHASE3],
}
BASKET_PHASES = (Phase.PHASE1, Phase.PHASE1_2)  # one study for every indication
COUNTRY = {
    "FDA": "United States",
    "NMPA": "China",
    "EMA": "Germany",
    "EC": "France",
    "PMDA": "Japan",
    "MFDS": "Korea, Republic of",
}
ENROLLMENT = {
    Phase.PHASE1: (20, 120),
    Phase.PHASE1_2: (40, 250),
    Phase.PHASE2: (60, 300),
    Phase.PHASE2_3: (200, 700),
    Phase.PHASE3: (300, 1000),
}
NCT_BASE = 90_000_000  # NCT9xxxxxxx: far beyond the ids ClinicalTrials.gov has issued


class _Host(Protocol):
    """What the mixin uses of ``programs.generation.Generator``."""

    rng: random.Random
    horizon: dt.date
    indication_names: dict[int, str]
    ids: Any
    out: Any
    result: Any


def nct_id(trial_pk: int) -> str:
    return f"NCT{NCT_BASE + trial_pk:08d}"


def _months(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=30 * rng.randrange(low, high))


class TrialsMixin:
    """``_trials``: the trials of one asset's milestones (``Generator`` mixes it in)."""

    def _trials(self: _Host, asset: dict[str, Any], milestones: list[dict[str, Any]], top_step: str | None) -> None:
        """Group ``milestones``' phase starts, write a trial per group and point the starts at it.

        ``asset`` holds ``id``, ``code``, ``originator_id``, ``status`` and ``source_id``; ``top_step`` is
        the highest clinical step that started while the asset is not yet filed (its trials are the ones
        still running), None once it is filed.
        """
        groups: dict[tuple[str, str, int | None], list[dict[str, Any]]] = {}
        for m in milestones:
            if m["kind"] != MilestoneKind.PHASE_STARTED:
                continue
            indication = None if m["phase"] in BASKET_PHASES else m["indication_id"]
            groups.setdefault((m["status"], m["phase"], indication), []).append(m)
        rng = self.rng
        for (status, step, _), starts in groups.items():
            pk = self.ids.take(Trial)
            registry_id = nct_id(pk)
            first = min(starts, key=lambda m: m["date"])
            start: dt.date = first["date"]
            planned = status == MilestoneStatus.PLANNED
            conditions = list(dict.fromkeys(m["indication_id"] for m in starts if m["indication_id"]))
            overall, why = self._trial_status(planned, step == top_step, asset["status"] == "discontinued")
            primary = start + _months(rng, 14, 48)
            completion = primary + _months(rng, 3, 18)
            ended = overall in (TrialStatus.COMPLETED, TrialStatus.TERMINATED)
            if ended and completion > self.horizon:  # a finished study finished before the horizon
                overall, why = TrialStatus.ACTIVE_NOT_RECRUITING, ""
                ended = False
            low, high = ENROLLMENT[step]
            names = [self.indication_names[i] for i in conditions]
            self.out.add(
                Trial,
                {
                    "id": pk,
                    "title": f"A phase {step.removeprefix('phase').replace('_', '/')} study of {asset['code']}"
                    f"{' in ' + names[0] if len(names) == 1 else ' in advanced solid tumours'}",
                    "phases": list(TRIAL_PHASES[step]),
                    "study_type": StudyType.INTERVENTIONAL,
                    "overall_status": overall,
                    "why_stopped": why,
                    "lead_sponsor_id": asset["originator_id"],
                    "countries": list(dict.fromkeys(COUNTRY.get(m["agency"], "United States") for m in starts)),
                    "enrollment": rng.randrange(low, high),
                    "enrollment_type": DateType.ACTUAL if ended else DateType.ESTIMATED,
                    "start_date": start,
                    "start_precision": first["date_precision"],
                    "start_type": DateType.ESTIMATED if planned else DateType.ACTUAL,
                    "primary_completion_date": primary.replace(day=1),
                    "primary_completion_precision": DatePrecision.MONTH,
                    "primary_completion_type": DateType.ACTUAL
                    if ended and primary <= self.horizon
                    else DateType.ESTIMATED,
                    "completion_date": completion.replace(day=1),
                    "completion_precision": DatePrecision.MONTH,
                    "completion_type": DateType.ACTUAL if ended else DateType.ESTIMATED,
                    "source_id": asset["source_id"],
                },
            )
            self.out.add(
                TrialRegistryId,
                {"id": self.ids.take(TrialRegistryId), "trial_id": pk, "registry": "nct", "value": registry_id},
            )
            self.out.add(
                Trial.assets.through,
                {"id": self.ids.take(Trial.assets.through), "trial_id": pk, "asset_id": asset["id"]},
            )
            for indication in conditions:
                self.out.add(
                    Trial.conditions.through,
                    {"id": self.ids.take(Trial.conditions.through), "trial_id": pk, "indication_id": indication},
                )
            for m in starts:
                m["trial_record_id"], m["trial_id"] = pk, registry_id
            self.result.trials += 1

    def _trial_status(self: _Host, planned: bool, current: bool, discontinued: bool) -> tuple[str, str]:
        """(overall status, why stopped) of a study: not yet recruiting when planned; the current step's
        studies recruit (or were terminated with the programme); earlier steps' mostly completed."""
        rng = self.rng
        if planned:
            return (TrialStatus.WITHDRAWN, "Sponsor decision") if discontinued else (TrialStatus.NOT_YET_RECRUITING, "")
        if discontinued and current:
            return TrialStatus.TERMINATED, "Sponsor decision: development discontinued"
        if current:
            return rng.choices(
                [TrialStatus.RECRUITING, TrialStatus.ACTIVE_NOT_RECRUITING, TrialStatus.ENROLLING_BY_INVITATION],
                [6, 3, 1],
            )[0], ""
        roll = rng.random()
        if roll < 0.05:
            return TrialStatus.TERMINATED, rng.choice(["Business decision", "Slow accrual", "Sponsor decision"])
        if roll < 0.15:
            return TrialStatus.ACTIVE_NOT_RECRUITING, ""
        return TrialStatus.COMPLETED, ""
