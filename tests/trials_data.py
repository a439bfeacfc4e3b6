"""Trials for the page, API and import tests: built from the models, fictitious ids (not real trials)."""

from __future__ import annotations

import datetime as dt

from milestones.models import Milestone, Trial, TrialArm, TrialIntervention, TrialRegistryId
from milestones.vocab import MilestoneKind, MilestoneStatus
from programs.models import Asset, Indication
from tests.factories import AssetFactory, CompanyFactory, SourceFactory

_counter = iter(range(10_000_000, 99_999_999))


def make_trial(
    asset: Asset | None = None,
    *,
    arms: int = 2,
    ids: int = 2,
    phases: list[str] | None = None,
    status: str = "RECRUITING",
    sponsor_slug: str | None = None,
    acronym: str = "",
) -> Trial:
    """A trial of ``asset`` with ``ids`` registry ids, ``arms`` arms (asset + partner, comparator), two
    collaborators, two conditions and a phase-start milestone linked to it."""
    asset = asset or AssetFactory()
    n = next(_counter)
    sponsor = CompanyFactory(slug=sponsor_slug, name=sponsor_slug.title()) if sponsor_slug else CompanyFactory()
    source = SourceFactory()
    trial = Trial.objects.create(
        acronym=acronym or f"TRIAL-{n}",
        title=f"A study of {asset.code} number {n}",
        phases=phases if phases is not None else ["PHASE2", "PHASE3"],
        overall_status=status,
        lead_sponsor=sponsor,
        countries=["China", "United States"],
        enrollment=300,
        enrollment_type="ESTIMATED",
        start_date=dt.date(2024, 5, 1),
        start_precision="month",
        start_type="ACTUAL",
        primary_completion_date=dt.date(2026, 6, 1),
        primary_completion_precision="month",
        primary_completion_type="ESTIMATED",
        source=source,
    )
    for prefix in ("NCT", "CTR", "ISRCTN")[:ids]:
        TrialRegistryId.objects.create(trial=trial, value=f"{prefix}{n:08d}")
    trial.collaborators.set([CompanyFactory(), CompanyFactory()])
    trial.conditions.set([Indication.objects.get_or_create(name=f"Cancer {n} {c}")[0] for c in "ab"])
    trial.assets.add(asset)
    for a in range(arms):
        arm = TrialArm.objects.create(trial=trial, label=f"Arm {a}", arm_type="EXPERIMENTAL")
        TrialIntervention.objects.create(arm=arm, name=asset.code, role="asset", asset=asset)
        TrialIntervention.objects.create(
            arm=arm, name="pembrolizumab" if a % 2 == 0 else "docetaxel", role="partner" if a % 2 == 0 else "comparator"
        )
    Milestone.objects.create(
        asset=asset,
        kind=MilestoneKind.PHASE_STARTED,
        phase="phase2_3",
        status=MilestoneStatus.OCCURRED,
        date=dt.date(2024, 5, 1),
        date_precision="month",
        trial_id=trial.registry_ids.first().value,
        trial_record=trial,
        source=source,
    )
    return trial
