"""The nested parts of a trial's API representation, fetched for a whole page at once as plain dicts.

``prefetch_related`` built a model instance for every registry id, collaborator, condition, asset, arm
and intervention of a page and DRF then ran a nested serializer over each: at ~2 trials per asset that,
not SQL, was most of ``/api/v1/trials/``'s time. Here each part is one ``.values_list()`` query keyed
by trial id (arms and their interventions are one LEFT JOIN), five queries per page whatever its size,
and ``TrialSerializer`` reads the dicts. The dicts are exactly what the nested serializers of
``milestones.api.trials`` print, keys in their order; ``tests/api/test_api_trials_fast.py`` compares
the two. Nothing here writes; the API is read-only.
"""

from __future__ import annotations

from typing import Any

from milestones.models import Trial, TrialArm, TrialRegistryId

ATTR = "_api_nested"
Rows = dict[int, list[Any]]


def _empty(ids: list[int]) -> Rows:
    return {pk: [] for pk in ids}


def attach(trials: list[Trial]) -> None:
    """Set ``trial._api_nested`` on each trial: registry ids, collaborators, conditions, assets, arms
    (with interventions and regimen). Hidden queries: five, whatever the number of trials (none for none)."""
    ids = [t.pk for t in trials]
    if not ids:
        return
    registry_ids, collaborators, conditions, assets, arms = (_empty(ids) for _ in range(5))
    # Orders are the ones ``trial_full_queryset`` prefetches with (and the pages print).
    for trial_id, registry, value in (
        TrialRegistryId.objects.filter(trial_id__in=ids)
        .order_by("trial_id", "registry", "value")
        .values_list("trial_id", "registry", "value")
    ):
        registry_ids[trial_id].append({"registry": registry, "value": value})
    for trial_id, pk, name, slug in (
        Trial.collaborators.through.objects.filter(trial_id__in=ids)
        .order_by("trial_id", "company__name")
        .values_list("trial_id", "company_id", "company__name", "company__slug")
    ):
        collaborators[trial_id].append({"id": pk, "name": name, "slug": slug})
    for trial_id, name in (
        Trial.conditions.through.objects.filter(trial_id__in=ids)
        .order_by("trial_id", "indication__name")
        .values_list("trial_id", "indication__name")
    ):
        conditions[trial_id].append(name)
    for trial_id, pk, code, slug in (
        Trial.assets.through.objects.filter(trial_id__in=ids)
        .order_by("trial_id", "asset__code")
        .values_list("trial_id", "asset_id", "asset__code", "asset__slug")
    ):
        assets[trial_id].append({"id": pk, "code": code, "slug": slug})
    # One row per (arm, intervention); an arm without interventions is one row of NULLs.
    arm: dict[str, Any] | None = None
    arm_id: int | None = None
    for pk, trial_id, label, arm_type, description, iv_id, iv_name, iv_role, iv_asset in (
        TrialArm.objects.filter(trial_id__in=ids)
        .order_by("id", "interventions__id")
        .values_list(
            "id",
            "trial_id",
            "label",
            "arm_type",
            "description",
            "interventions__id",
            "interventions__name",
            "interventions__role",
            "interventions__asset__code",
        )
    ):
        if pk != arm_id:
            arm_id = pk
            arm = {"label": label, "arm_type": arm_type, "description": description, "regimen": "", "interventions": []}
            arms[trial_id].append(arm)
        if iv_id is not None:
            arm["interventions"].append({"name": iv_name, "role": iv_role, "asset": iv_asset})  # type: ignore[index]
    for trial in trials:
        pk = trial.pk
        for a in arms[pk]:
            a["regimen"] = " + ".join(i["name"] for i in a["interventions"])  # as ``TrialArm.regimen``
        setattr(
            trial,
            ATTR,
            {
                "registry_ids": registry_ids[pk],
                "collaborators": collaborators[pk],
                "conditions": conditions[pk],
                "assets": assets[pk],
                "arms": arms[pk],
            },
        )


def nested(trial: Trial) -> dict[str, Any]:
    """The nested parts of one trial: attached by the list, fetched here for a single record (retrieve)."""
    if not hasattr(trial, ATTR):
        attach([trial])
    return getattr(trial, ATTR)  # type: ignore[no-any-return]
