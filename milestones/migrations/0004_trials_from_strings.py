"""Milestones that name a trial only by its registry id string get a Trial record.

One Trial per distinct set of normalised registry ids (a ``trial_id`` may list several, ``;``-separated,
naming one trial), linked to each of its milestones' assets, and ``trial_record`` set on the milestones.
An id a Trial already has (a ClinicalTrials.gov import) links to that trial instead of making another.
An id of no known registry stays a string on its milestone: nothing is logged and nothing fails. Only
what the string says is recorded: no title, phase or status is invented. Reversing does nothing (the
trials may have been edited since).
"""

from __future__ import annotations

from django.db import migrations

from milestones.models.trials import normalize_registry_id


def _ids(raw: str) -> tuple[tuple[str, str], ...] | None:
    """((registry, canonical id), ...) of a trial_id cell, sorted; None when any part is not an id."""
    found = set()
    for part in raw.split(";"):
        if not part.strip():
            continue
        try:
            found.add(normalize_registry_id(part))
        except ValueError:
            return None
    return tuple(sorted(found, key=lambda pair: pair[1])) or None


def link(apps, schema_editor):  # type: ignore[no-untyped-def]
    Milestone = apps.get_model("milestones", "Milestone")
    Trial = apps.get_model("milestones", "Trial")
    TrialRegistryId = apps.get_model("milestones", "TrialRegistryId")
    groups: dict[tuple[tuple[str, str], ...], list[tuple[int, int]]] = {}
    rows = (
        Milestone.objects.filter(trial_record__isnull=True)
        .exclude(trial_id="")
        .values_list("pk", "asset_id", "trial_id")
    )
    for pk, asset_id, raw in rows.iterator():
        ids = _ids(raw)
        if ids is not None:
            groups.setdefault(ids, []).append((pk, asset_id))
    for ids, milestones in groups.items():
        values = [value for _, value in ids]
        owners = set(TrialRegistryId.objects.filter(value__in=values).values_list("trial_id", flat=True))
        if len(owners) > 1:
            continue  # the ids already name different trials: leave the strings as they are
        trial = Trial.objects.filter(pk=owners.pop()).first() if owners else Trial.objects.create(phases=[])
        have = set(TrialRegistryId.objects.filter(trial=trial).values_list("value", flat=True))
        TrialRegistryId.objects.bulk_create(
            [
                TrialRegistryId(trial=trial, registry=registry, value=value)
                for registry, value in ids
                if value not in have
            ]
        )
        trial.assets.add(*{asset_id for _, asset_id in milestones})
        Milestone.objects.filter(pk__in=[pk for pk, _ in milestones]).update(trial_record=trial)


class Migration(migrations.Migration):
    dependencies = [("milestones", "0003_trials_regulatory_status")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
