"""Migration milestones 0004: trial id strings on milestones become Trial records (and bad ids stay strings)."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from milestones.models import Milestone, Trial, TrialRegistryId
from tests.factories import AssetFactory, MilestoneFactory

MIGRATION = ("milestones", "0004_trials_from_strings")


def run_migration() -> None:
    """The migration's own function on the historical models, as ``migrate`` runs it."""
    state = MigrationLoader(connection).project_state(MIGRATION)
    importlib.import_module("milestones.migrations.0004_trials_from_strings").link(state.apps, None)


@pytest.mark.django_db
def test_it_makes_one_trial_per_registry_id_and_links_the_milestones() -> None:
    a, b = AssetFactory(), AssetFactory()
    first = MilestoneFactory(asset=a, kind="phase_started", phase="phase1", agency="", trial_id="NCT09990101")
    same = MilestoneFactory(asset=b, kind="phase_started", phase="phase2", agency="", trial_id="nct09990101")
    other = MilestoneFactory(asset=a, kind="phase_started", phase="phase3", agency="", trial_id="CTR20990102")
    untouched = MilestoneFactory(asset=a, kind="ind_cleared", trial_id="")
    bad = MilestoneFactory(asset=a, kind="phase_started", phase="phase2", agency="")
    Milestone.objects.filter(pk=bad.pk).update(trial_id="PROTOCOL-7")  # an id of no known registry
    run_migration()
    assert Trial.objects.count() == 2 and TrialRegistryId.objects.count() == 2
    nct = TrialRegistryId.objects.get(value="NCT09990101")
    assert nct.registry == "nct"
    for m in (first, same):
        m.refresh_from_db()
        assert m.trial_record == nct.trial
    assert set(nct.trial.assets.all()) == {a, b}
    other.refresh_from_db()
    assert other.trial_record.registry_ids.get().value == "CTR20990102"
    assert list(other.trial_record.assets.all()) == [a]
    assert other.trial_record.phases == [] and other.trial_record.title == ""  # nothing invented
    untouched.refresh_from_db()
    bad.refresh_from_db()
    assert untouched.trial_record is None and bad.trial_record is None and bad.trial_id == "PROTOCOL-7"
    run_migration()  # again: nothing new
    assert Trial.objects.count() == 2


@pytest.mark.django_db
def test_it_links_to_a_trial_that_already_has_the_id_and_reads_id_lists() -> None:
    asset = AssetFactory()
    existing = Trial.objects.create(acronym="KNOWN")
    TrialRegistryId.objects.create(trial=existing, value="NCT09990201")
    listed = MilestoneFactory(asset=asset, kind="phase_started", phase="phase1", agency="")
    Milestone.objects.filter(pk=listed.pk).update(trial_id="NCT09990201; jRCT2099020100")
    run_migration()
    listed.refresh_from_db()
    assert listed.trial_record == existing and Trial.objects.count() == 1
    assert sorted(existing.registry_ids.values_list("value", flat=True)) == ["NCT09990201", "jRCT2099020100"]
    assert list(existing.assets.all()) == [asset]


@pytest.mark.django_db
def test_ids_of_two_known_trials_are_left_as_strings() -> None:
    for n in ("NCT09990301", "NCT09990302"):
        TrialRegistryId.objects.create(trial=Trial.objects.create(), value=n)
    both = MilestoneFactory(kind="phase_started", phase="phase1", agency="")
    Milestone.objects.filter(pk=both.pk).update(trial_id="NCT09990301;NCT09990302")
    run_migration()
    both.refresh_from_db()
    assert both.trial_record is None and Trial.objects.count() == 2
