"""Reading trials: the querysets the trial pages and the API share, and the asset page's trial rows.

Why a module of its own: the asset page (``programs.views.asset_detail``) shows an asset's trials but
must not import ``milestones.views``; it reads them here, as plain rows in one query whatever the number
of trials or registry ids. Every queryset prefetches what its readers print, so a page costs a fixed
number of queries. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from milestones.models import Milestone, Trial, TrialArm, TrialIntervention, TrialRegistryId
from milestones.vocab import DateType, MilestoneKind, TrialPhase, TrialStatus
from programs.dates import PreciseDate
from programs.models import Asset, Company, Indication
from programs.readpath.prepared import Prepared

_PHASE_LABELS: dict[str, str] = {str(k): str(v) for k, v in TrialPhase.choices}
_STATUS_LABELS: dict[str, str] = {str(k): str(v) for k, v in TrialStatus.choices}
_DATE_TYPE_LABELS: dict[str, str] = {str(k): str(v) for k, v in DateType.choices if k}


def phases_label(phases: list[str] | None) -> str:
    """ "Phase 1 / Phase 2" from the registry's phase list; "—" when the registry states none."""
    return " / ".join(_PHASE_LABELS.get(p, p) for p in phases or []) or "—"


def dated(when: PreciseDate, date_type: str) -> str:
    """ "Jun 2026 (estimated)": the date at its precision and whether it happened."""
    if when.date is None:
        return "not stated"
    kind = _DATE_TYPE_LABELS.get(date_type)
    return f"{when.display()} ({kind.lower()})" if kind else when.display()


def _registry_ids() -> Prefetch:
    return Prefetch("registry_ids", queryset=TrialRegistryId.objects.order_by("registry", "value"))


def _assets() -> Prefetch:
    return Prefetch("assets", queryset=Asset.objects.only("id", "code", "slug").order_by("code"))


def trial_list_queryset() -> QuerySet[Trial]:
    """Trials with what a list row shows (registry ids, assets, lead sponsor): three queries a page."""
    return Trial.objects.select_related("lead_sponsor").prefetch_related(_registry_ids(), _assets())


def trial_full_queryset() -> QuerySet[Trial]:
    """Trials with everything a trial page or the API prints: a fixed number of queries per page."""
    interventions = (
        TrialIntervention.objects.select_related("asset")
        .only("id", "arm_id", "name", "role", "asset__id", "asset__code", "asset__slug")
        .order_by("id")
    )
    arms = TrialArm.objects.prefetch_related(Prefetch("interventions", queryset=interventions)).order_by("id")
    return Trial.objects.select_related("lead_sponsor", "source").prefetch_related(
        _registry_ids(),
        _assets(),
        Prefetch("collaborators", queryset=Company.objects.only("id", "name", "slug").order_by("name")),
        Prefetch("conditions", queryset=Indication.objects.order_by("name")),
        Prefetch("arms", queryset=arms),
    )


def phase_starts(trial: Trial) -> QuerySet[Milestone]:
    """The phase-start milestones recorded against this trial (one query)."""
    return (
        Milestone.objects.filter(trial_record=trial, kind=MilestoneKind.PHASE_STARTED)
        .select_related("asset", "indication")
        .order_by("date", "id")
    )


@dataclass(slots=True)
class AssetTrialRow:
    """One trial as the asset page's Trials section prints it."""

    pk: int
    acronym: str
    title: str
    phases: str
    status: str
    primary_completion: str
    registry_ids: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The acronym, else the first registry id, else the title: what an analyst calls the trial."""
        first_id = self.registry_ids[0] if self.registry_ids else ""
        return self.acronym or first_id or self.title[:60] or f"trial {self.pk}"


# Trials of one asset with their registry ids as a LEFT JOIN: one row per (trial, id), one query in all.
_ASSET_TRIALS = Prepared(
    lambda asset_id: (
        Trial.objects.filter(assets=asset_id)
        .order_by("-start_date", "id", "registry_ids__value")
        .values_list(
            "id",
            "acronym",
            "title",
            "phases",
            "overall_status",
            "primary_completion_date",
            "primary_completion_precision",
            "primary_completion_type",
            "registry_ids__value",
        )
    )
)


def asset_trial_rows(asset_id: int) -> list[AssetTrialRow]:
    """The asset's trials, newest start first, for the asset page (one query)."""
    rows: dict[int, AssetTrialRow] = {}
    for pk, acronym, title, phases, status, pc_date, pc_precision, pc_type, registry_id in _ASSET_TRIALS.rows(asset_id):
        row = rows.get(pk)
        if row is None:
            when = PreciseDate(pc_date, pc_precision)
            row = rows[pk] = AssetTrialRow(
                pk, acronym, title, phases_label(phases), _STATUS_LABELS.get(status, status), dated(when, pc_type)
            )
        if registry_id:
            row.registry_ids.append(registry_id)
    return list(rows.values())


__all__ = [
    "AssetTrialRow",
    "asset_trial_rows",
    "dated",
    "phase_starts",
    "phases_label",
    "trial_full_queryset",
    "trial_list_queryset",
]
