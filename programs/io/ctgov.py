"""ClinicalTrials.gov API v2: a study becomes a Trial record and, when it really starts a phase, a milestone.

``fetch_study`` reads one study by NCT id through ``programs.io.ctgov_client`` (the configured base URL,
timeout and User-Agent; raises ``CtgovError`` with a clear message when offline); ``attach_study`` turns
a v2 study record (fetched or uploaded as JSON) into a
``Trial`` (by NCT id: status, why stopped, sponsor and collaborators, all conditions, countries,
enrollment, arms with their regimens, secondary ids, start / primary completion / completion dates
actual or estimated) and a ``phase_started`` milestone only for an interventional study with a real
phase that was not withdrawn: planned when the start is ESTIMATED, at the precision the registry gives.
``programs.io.ctgov_sync`` refreshes tracked trials through the same ``attach_study``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milestones.models import Milestone, Trial, TrialArm, TrialIntervention, TrialRegistryId, normalize_registry_id
from milestones.vocab import (
    DateType,
    InterventionRole,
    MilestoneKind,
    MilestoneStatus,
    StudyType,
    TrialPhase,
    TrialStatus,
)
from programs.dates import PreciseDate
from programs.editing.bulk import create_with_history
from programs.editing.lookups import NameCache
from programs.io.ctgov_client import NCT, CtgovClient, CtgovError, CtgovUnreachable
from programs.models import Asset, AssetDesignation, Indication, Source
from programs.text import normalize_name
from programs.vocab import Phase

STUDY_URL = "https://clinicaltrials.gov/study/{nct}"
# Registry phases -> the development phase a start proves. Only interventional studies with a real phase
# start a phase: "NA" (devices, behavioural), [] (observational) and PHASE4 (post-marketing) start none.
_PHASES = {
    ("EARLY_PHASE1",): Phase.PHASE1,
    ("PHASE1",): Phase.PHASE1,
    ("PHASE1", "PHASE2"): Phase.PHASE1_2,
    ("PHASE2",): Phase.PHASE2,
    ("PHASE2", "PHASE3"): Phase.PHASE2_3,
    ("PHASE3",): Phase.PHASE3,
}
_NO_START_STATUSES = ("WITHDRAWN",)  # a study withdrawn before enrolling its first participant never started


@dataclass(frozen=True)
class Arm:
    label: str
    arm_type: str
    description: str
    interventions: list[str]


@dataclass(frozen=True)
class Study:
    nct_id: str
    title: str
    phase: str  # the development phase a start proves; "" when the study starts none
    overall_status: str
    start: PreciseDate
    start_type: str  # ACTUAL or ESTIMATED
    sponsor: str
    conditions: list[str]
    phases: tuple[str, ...] = ()
    study_type: str = "INTERVENTIONAL"
    acronym: str = ""
    why_stopped: str = ""
    collaborators: tuple[str, ...] = ()
    secondary_ids: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    enrollment: int | None = None
    enrollment_type: str = ""
    primary_completion: PreciseDate = PreciseDate(None, "unknown")
    primary_completion_type: str = ""
    completion: PreciseDate = PreciseDate(None, "unknown")
    completion_type: str = ""
    arms: tuple[Arm, ...] = ()
    interventions: tuple[str, ...] = ()


def fetch_study(nct_id: str, timeout: float = 10.0) -> dict[str, Any]:
    """The v2 JSON record of one study; ``CtgovError`` when the registry cannot be reached.

    For the web form: one retry at most (an editor is waiting), then the advice to upload the JSON.
    """
    client = CtgovClient(timeout=timeout, max_retries=1)
    try:
        return client.get_study(nct_id)
    except CtgovUnreachable as exc:
        url = client.study_url(str(nct_id).strip().upper())
        raise CtgovError(f"{exc} Download the study's JSON ({url}) and upload it instead.") from exc


def _date(struct: dict[str, Any] | None) -> tuple[PreciseDate, str]:
    struct = struct or {}
    return PreciseDate.parse(struct.get("date", "")), str(struct.get("type") or "").upper()


def parse_study(data: dict[str, Any]) -> Study:
    """Read the fields adctrack keeps from a v2 study record; ``CtgovError`` when it is not one."""
    try:
        proto = data["protocolSection"]
        ident = proto["identificationModule"]
        nct_id = str(ident["nctId"]).strip().upper()
        if not NCT.match(nct_id):
            raise CtgovError(f"{nct_id[:40]!r} is not an NCT id (NCT followed by 8 digits).")
        status = proto.get("statusModule", {})
        design = proto.get("designModule", {})
        phases = tuple(design.get("phases") or [])
        unknown = [p for p in phases if p not in TrialPhase.values]
        if unknown:
            raise CtgovError(
                f"{nct_id}: phases {unknown!r} are not ClinicalTrials.gov phases ({', '.join(TrialPhase.values)})."
            )
        study_type = str(design.get("studyType") or "INTERVENTIONAL").upper()
        overall = str(status.get("overallStatus") or "UNKNOWN").upper()
        if overall not in TrialStatus.values:
            overall = TrialStatus.UNKNOWN
        start, start_type = _date(status.get("startDateStruct"))
        primary, primary_type = _date(status.get("primaryCompletionDateStruct"))
        completion, completion_type = _date(status.get("completionDateStruct"))
        phase = _PHASES.get(phases, "") if study_type == "INTERVENTIONAL" else ""
        sponsors = proto.get("sponsorCollaboratorsModule", {})
        arms_module = proto.get("armsInterventionsModule", {})
        enrollment = design.get("enrollmentInfo") or {}
        locations = proto.get("contactsLocationsModule", {}).get("locations") or []
        return Study(
            nct_id=nct_id,
            title=ident.get("briefTitle") or ident.get("officialTitle", ""),
            phase=phase,
            overall_status=overall,
            start=start,
            start_type=start_type or "ESTIMATED",
            sponsor=(sponsors.get("leadSponsor") or {}).get("name", ""),
            conditions=list(proto.get("conditionsModule", {}).get("conditions", [])),
            phases=phases,
            study_type=study_type if study_type in StudyType.values else StudyType.INTERVENTIONAL,
            acronym=ident.get("acronym", "") or "",
            why_stopped=status.get("whyStopped", "") or "",
            collaborators=tuple(c["name"] for c in sponsors.get("collaborators") or [] if c.get("name")),
            secondary_ids=tuple(str(i["id"]) for i in ident.get("secondaryIdInfos") or [] if i.get("id")),
            countries=tuple(dict.fromkeys(loc["country"] for loc in locations if loc.get("country"))),
            enrollment=int(enrollment["count"]) if enrollment.get("count") is not None else None,
            enrollment_type=str(enrollment.get("type") or "").upper(),
            primary_completion=primary,
            primary_completion_type=primary_type,
            completion=completion,
            completion_type=completion_type,
            arms=tuple(
                Arm(
                    a.get("label", ""),
                    a.get("type", ""),
                    a.get("description", ""),
                    list(a.get("interventionNames") or []),
                )
                for a in arms_module.get("armGroups") or []
            ),
            interventions=tuple(i["name"] for i in arms_module.get("interventions") or [] if i.get("name")),
        )
    except CtgovError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError, ValidationError) as exc:
        raise CtgovError(f"Not a ClinicalTrials.gov API v2 study record ({exc}).") from exc


class StudyCache:
    """What a run of studies looks up, read once for the whole page instead of once per study.

    Companies and indications by name (``NameCache``), sources by URL, each linked asset's names, and
    which NCT / secondary ids and which (asset, NCT id) phase starts do not exist yet: on a page of new
    studies none of those needs a query per study. Only facts true whatever commits are kept: a row a
    study creates is remembered once its transaction commits (``NameCache``, sources), and an id or
    start the run writes stops being "absent" at once, so a rolled-back study (an error, a dry run)
    never leaves the cache naming a row that does not exist. Anything not cached is queried as before.
    """

    def __init__(self) -> None:
        self.names = NameCache()
        self.sources: dict[str, Source] = {}
        self.absent_urls: set[str] = set()
        self.absent_ids: set[str] = set()
        self.absent_starts: set[tuple[int, str]] = set()
        self.asset_names: dict[int, list[str]] = {}

    def preload(self, pairs: Sequence[tuple[Study, Asset]]) -> None:
        """Read what these (study, asset) pairs will look up: about eight queries, whatever their number."""
        if not pairs:
            return
        studies = [s for s, _ in pairs]
        self.names.preload(
            companies=[n for s in studies for n in (s.sponsor, *s.collaborators)],
            indications=[c for s in studies for c in s.conditions],
        )
        urls = [STUDY_URL.format(nct=s.nct_id) for s in studies]
        ids = {s.nct_id for s in studies} | {c for s in studies for c in _canonical_ids(s.secondary_ids)}
        ncts = sorted({s.nct_id for s in studies})
        assets = {a.pk: a for _, a in pairs}
        known_ids: set[str] = set()
        starts: set[tuple[int, str]] = set()
        for chunk in _chunks(urls):
            self.sources.update({src.url: src for src in Source.objects.filter(url__in=chunk)})
        self.absent_urls |= set(urls) - set(self.sources)
        for chunk in _chunks(sorted(ids)):
            known_ids.update(TrialRegistryId.objects.filter(value__in=chunk).values_list("value", flat=True))
        for chunk in _chunks(ncts):
            starts.update(
                Milestone.objects.filter(
                    kind=MilestoneKind.PHASE_STARTED, trial_id__in=chunk, asset_id__in=list(assets)
                ).values_list("asset_id", "trial_id")
            )
        self.absent_ids |= ids - known_ids
        self.absent_starts |= {(a.pk, s.nct_id) for s, a in pairs} - starts
        self.names_of(list(assets.values()))

    def names_of(self, assets: Sequence[Asset]) -> dict[int, list[str]]:
        """Each asset's code and designations (one query for those not read yet); names do not change here."""
        missing = [a for a in assets if a.pk not in self.asset_names]
        if missing:
            by_asset: dict[int, list[str]] = {a.pk: [a.code] for a in missing}
            rows = AssetDesignation.objects.filter(asset_id__in=list(by_asset)).order_by("asset_id", "kind", "name")
            for asset_id, name in rows.values_list("asset_id", "name"):
                by_asset[asset_id].append(name)
            self.asset_names.update(by_asset)
        return {a.pk: self.asset_names[a.pk] for a in assets}

    def source(self, study: Study) -> Source:
        url = STUDY_URL.format(nct=study.nct_id)
        found = self.sources.get(url)
        if found is None:
            values = {"title": study.title[:500], "publisher": "ClinicalTrials.gov"}
            if url in self.absent_urls:
                found = Source.objects.create(url=url, **values)
                self.absent_urls.discard(url)
            else:
                found, _ = Source.objects.get_or_create(url=url, defaults=values)
            transaction.on_commit(partial(self.sources.__setitem__, url, found))
        return found


def _chunks(values: list[str], size: int = 400) -> Iterator[list[str]]:
    return (values[start : start + size] for start in range(0, len(values), size))


def _canonical_ids(values: Iterable[str]) -> list[str]:
    """The secondary ids of a known registry, normalised; sponsor protocol codes are not registry ids."""
    out = []
    for other in values:
        try:
            out.append(normalize_registry_id(other)[1])
        except ValueError:
            continue
    return out


def upsert_trial(
    asset: Asset, study: Study, source: Source, cache: StudyCache | None = None
) -> tuple[Trial, list[Indication]]:
    """The Trial of this NCT id (never a duplicate), created or refreshed with everything the record says;
    returns it with its conditions as indications."""
    cache = cache or StudyCache()
    known = (
        None
        if study.nct_id in cache.absent_ids
        else TrialRegistryId.objects.filter(value=study.nct_id).select_related("trial").first()
    )
    trial = known.trial if known is not None else Trial()
    trial.title, trial.acronym = study.title[:500], study.acronym[:60]
    trial.phases, trial.study_type = list(study.phases), study.study_type
    trial.overall_status, trial.why_stopped = study.overall_status, study.why_stopped
    trial.lead_sponsor = cache.names.company(study.sponsor) if study.sponsor.strip() else None
    trial.countries, trial.enrollment = list(study.countries), study.enrollment
    trial.enrollment_type = study.enrollment_type if study.enrollment_type in DateType.values else ""
    for name, when, kind in (
        ("start", study.start, study.start_type),
        ("primary_completion", study.primary_completion, study.primary_completion_type),
        ("completion", study.completion, study.completion_type),
    ):
        setattr(trial, f"{name}_date", when.date)
        setattr(trial, f"{name}_precision", when.precision)
        setattr(trial, f"{name}_type", kind if kind in DateType.values and when.date else "")
    trial.source, trial.synced_at = source, timezone.now()
    # The two check constraints (completions after the start) are ``Trial.clean``'s rules too: checking
    # them again would cost two queries and say the same thing.
    trial.full_clean(exclude=["lead_sponsor", "source"], validate_constraints=False)
    trial.save()
    new_ids = [study.nct_id] if known is None else []
    for canonical in _canonical_ids(study.secondary_ids):
        if canonical in new_ids:
            continue
        if canonical in cache.absent_ids:
            new_ids.append(canonical)
        else:
            TrialRegistryId.objects.get_or_create(value=canonical, defaults={"trial": trial})
    create_with_history(TrialRegistryId, [TrialRegistryId(trial=trial, value=v) for v in new_ids])
    cache.absent_ids.difference_update(new_ids)
    collaborators = list(dict.fromkeys(cache.names.company(n) for n in study.collaborators if n.strip()))
    conditions = list(dict.fromkeys(i for i in map(cache.names.indication, study.conditions) if i is not None))
    if known is None:  # a new trial has no links to compare with
        trial.collaborators.add(*collaborators)
        trial.conditions.add(*conditions)
        linked = [asset]
    else:
        trial.collaborators.set(collaborators)
        trial.conditions.set(conditions)
        linked = sorted(trial.assets.all(), key=lambda a: a.pk)
        TrialArm.objects.filter(trial=trial).delete()
    trial.assets.add(asset)
    if asset not in linked:
        linked.append(asset)
    # Every asset the trial tests, this one first: a refresh (``ctgov_sync``) of a trial of two assets
    # must not turn the other one's intervention into a "partner".
    names: dict[str, Asset] = {}
    asset_names = cache.names_of(linked)
    for tested in sorted(linked, key=lambda a: a.pk != asset.pk):
        for name in asset_names[tested.pk]:
            names.setdefault(normalize_name(name), tested)
    arms = create_with_history(
        TrialArm,
        [
            TrialArm(
                trial=trial, label=arm.label[:300] or "Arm", arm_type=arm.arm_type[:40], description=arm.description
            )
            for arm in study.arms
        ],
    )
    interventions = []
    for row, arm in zip(arms, study.arms, strict=True):
        for name in arm.interventions:
            # "Drug: JS212" is how arm groups name their interventions.
            bare = name.split(":", 1)[1].strip() if ":" in name else name
            tested_by = names.get(normalize_name(bare))
            role = (
                InterventionRole.ASSET
                if tested_by
                else InterventionRole.PLACEBO
                if "placebo" in bare.lower()
                else InterventionRole.PARTNER
            )
            interventions.append(TrialIntervention(arm=row, name=bare[:300], role=role, asset=tested_by))
    create_with_history(TrialIntervention, interventions)
    return trial, conditions


@transaction.atomic
def attach_study(
    asset: Asset, data: dict[str, Any], *, study: Study | None = None, cache: StudyCache | None = None
) -> tuple[Milestone | None, bool]:
    """Upsert the study's Trial and, when the study really started (or plans to) a phase, its
    ``phase_started`` milestone on ``asset``; returns (milestone or None, created).

    ``study`` is ``data`` already parsed, ``cache`` a run's lookups (``StudyCache``): a page import
    passes both. No phase start is invented: none for observational studies, phases NA / PHASE4 / none,
    a WITHDRAWN study, or an unstated start date. Raises ``ValidationError`` when the record breaks a
    domain rule (an ACTUAL start in the future, a completion before the start); nothing is written then.
    """
    study = study or parse_study(data)
    cache = cache or StudyCache()
    source = cache.source(study)
    trial, indications = upsert_trial(asset, study, source, cache)
    if indications:
        asset.indications.add(*indications)
    key = (asset.pk, study.nct_id)
    milestone = (
        None
        if key in cache.absent_starts
        else Milestone.objects.filter(asset=asset, kind=MilestoneKind.PHASE_STARTED, trial_id=study.nct_id).first()
    )
    if not study.phase or study.overall_status in _NO_START_STATUSES or study.start.date is None:
        if milestone is not None and milestone.status == MilestoneStatus.PLANNED:
            milestone.status = MilestoneStatus.CANCELLED  # the registry no longer plans that start
            milestone.notes = _notes(study)
            milestone.save()
        return milestone, False
    created = milestone is None
    milestone = milestone or Milestone(asset=asset, kind=MilestoneKind.PHASE_STARTED, trial_id=study.nct_id)
    milestone.phase = study.phase
    milestone.status = MilestoneStatus.OCCURRED if study.start_type == "ACTUAL" else MilestoneStatus.PLANNED
    milestone.date, milestone.date_precision = study.start.date, study.start.precision
    # One condition is the start's indication; several are the trial's, and the start is asset-wide.
    milestone.indication = indications[0] if len(indications) == 1 else None
    milestone.trial_record = trial
    milestone.source = source
    milestone.notes = _notes(study)
    milestone.full_clean()
    milestone.save()
    cache.absent_starts.discard(key)
    return milestone, created


def _notes(study: Study) -> str:
    bits = [
        f"Sponsor: {study.sponsor}." if study.sponsor else "",
        f"Overall status: {TrialStatus(study.overall_status).label}." if study.overall_status else "",
        f"Why stopped: {study.why_stopped}." if study.why_stopped else "",
        study.title,
    ]
    return " ".join(b for b in bits if b)


__all__ = ["CtgovError", "Study", "StudyCache", "ValidationError", "attach_study", "fetch_study", "parse_study"]
