"""ClinicalTrials.gov API v2: attach a study to an asset as a phase-started milestone.

``fetch_study`` reads one study by NCT id (urllib, with a timeout; raises ``CtgovError`` with a clear
message when offline); ``attach_study`` turns a v2 study record (fetched or uploaded as JSON) into a
``phase_started`` milestone with the trial id, planned when the start date is ESTIMATED, dated at the
month precision the registry gives, plus the conditions as indications.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from milestones.models import Milestone
from milestones.vocab import MilestoneKind, MilestoneStatus
from programs.dates import PreciseDate
from programs.models import Asset, Indication, Source
from programs.vocab import Phase

API = "https://clinicaltrials.gov/api/v2/studies/{nct}"
STUDY_URL = "https://clinicaltrials.gov/study/{nct}"
NCT = re.compile(r"^NCT\d{8}$")
_PHASES = {
    ("EARLY_PHASE1",): Phase.PHASE1, ("PHASE1",): Phase.PHASE1, ("PHASE1", "PHASE2"): Phase.PHASE1_2,
    ("PHASE2",): Phase.PHASE2, ("PHASE2", "PHASE3"): Phase.PHASE2_3, ("PHASE3",): Phase.PHASE3,
}


class CtgovError(Exception):
    """The study could not be read: offline, unknown NCT id, or not a v2 study record."""


@dataclass(frozen=True)
class Study:
    nct_id: str
    title: str
    phase: str
    overall_status: str
    start: PreciseDate
    start_type: str  # ACTUAL or ESTIMATED
    sponsor: str
    conditions: list[str]


def fetch_study(nct_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """The v2 JSON record of one study; ``CtgovError`` when the registry cannot be reached."""
    nct_id = nct_id.strip().upper()
    if not NCT.match(nct_id):
        raise CtgovError(f"{nct_id!r} is not an NCT id (NCT followed by 8 digits).")
    request = urllib.request.Request(API.format(nct=nct_id), headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - fixed https host
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise CtgovError(f"ClinicalTrials.gov answered {exc.code} for {nct_id}.") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CtgovError(
            f"ClinicalTrials.gov could not be reached ({exc}). Download the study's JSON "
            f"({API.format(nct=nct_id)}) and upload it instead.") from exc
    except ValueError as exc:
        raise CtgovError(f"ClinicalTrials.gov sent something that is not JSON for {nct_id}.") from exc


def parse_study(data: dict[str, Any]) -> Study:
    """Read the fields adctrack uses from a v2 study record; ``CtgovError`` when it is not one."""
    try:
        proto = data["protocolSection"]
        ident = proto["identificationModule"]
        status = proto.get("statusModule", {})
        design = proto.get("designModule", {})
        start = status.get("startDateStruct") or {}
        phases = tuple(p for p in design.get("phases", []) if p != "NA")
        return Study(
            nct_id=ident["nctId"],
            title=ident.get("briefTitle") or ident.get("officialTitle", ""),
            phase=_PHASES.get(phases, Phase.PHASE1 if not phases else Phase.PHASE3 if "PHASE3" in phases
                              else Phase.PHASE2 if "PHASE2" in phases else Phase.PHASE1),
            overall_status=status.get("overallStatus", ""),
            start=PreciseDate.parse(start.get("date", "")),
            start_type=(start.get("type") or "ESTIMATED").upper(),
            sponsor=(proto.get("sponsorCollaboratorsModule", {}).get("leadSponsor") or {}).get("name", ""),
            conditions=list(proto.get("conditionsModule", {}).get("conditions", [])),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise CtgovError(f"Not a ClinicalTrials.gov API v2 study record ({exc}).") from exc


@transaction.atomic
def attach_study(asset: Asset, data: dict[str, Any]) -> tuple[Milestone, bool]:
    """Upsert the study's ``phase_started`` milestone on ``asset`` (by trial id); returns (milestone, created).

    Raises ``ValidationError`` when the record breaks a domain rule (e.g. an ACTUAL start in the future).
    """
    study = parse_study(data)
    source, _ = Source.objects.get_or_create(
        url=STUDY_URL.format(nct=study.nct_id),
        defaults={"title": study.title, "publisher": "ClinicalTrials.gov"},
    )
    indications = [Indication.objects.filter(name__iexact=c).first() or Indication.objects.create(name=c)
                   for c in study.conditions]
    milestone = Milestone.objects.filter(asset=asset, kind=MilestoneKind.PHASE_STARTED,
                                         trial_id=study.nct_id).first()
    created = milestone is None
    milestone = milestone or Milestone(asset=asset, kind=MilestoneKind.PHASE_STARTED, trial_id=study.nct_id)
    milestone.phase = study.phase
    milestone.status = MilestoneStatus.OCCURRED if study.start_type == "ACTUAL" else MilestoneStatus.PLANNED
    milestone.date, milestone.date_precision = study.start.date, study.start.precision
    milestone.indication = indications[-1] if indications else None
    milestone.source = source
    milestone.notes = f"Sponsor: {study.sponsor}. Overall status: {study.overall_status}. {study.title}".strip()
    milestone.full_clean()
    milestone.save()
    if indications:
        asset.indications.add(*indications)
    return milestone, created


__all__ = ["CtgovError", "Study", "ValidationError", "attach_study", "fetch_study", "parse_study"]
