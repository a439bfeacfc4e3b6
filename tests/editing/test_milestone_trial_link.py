"""A milestone's trial id links to the trial record that holds it, whichever way the milestone came in
(CSV, API, form), so a trial's page lists its phase starts and the API names the record."""

from __future__ import annotations

from milestones.models import Milestone, Trial, TrialRegistryId
from programs.derivation.derived import recompute_asset
from programs.io.columns import MILESTONE_COLUMNS
from programs.io.importers import import_csv
from tests.factories import AssetFactory, SourceFactory

HEADER = ",".join(MILESTONE_COLUMNS)


def _trial(*ids: str) -> Trial:
    trial = Trial.objects.create(title="A generated study", phases=["PHASE2"])
    for value in ids:
        TrialRegistryId.objects.create(trial=trial, value=value)
    return trial


def _row(asset: str, trial_id: str, date: str) -> str:
    values = dict.fromkeys(MILESTONE_COLUMNS, "")
    values.update(asset=asset, kind="phase started", phase="phase2", date=date, status="occurred",
                  trial_id=trial_id, source_url="https://example.com/start", source_title="Start")
    return ",".join(f'"{values[c]}"' for c in MILESTONE_COLUMNS)


def test_the_csv_links_each_row_to_the_trial_holding_any_of_its_ids(db) -> None:
    AssetFactory(code="LINK-1")
    trial = _trial("NCT90000001", "CTR20260001")
    report = import_csv("milestones", "\n".join([
        HEADER,
        _row("LINK-1", "nct90000001", "2024-01-10"),          # lower case, normalised, then linked
        _row("LINK-1", "CTR20260001", "2024-03-10"),          # the trial's other registry
        _row("LINK-1", "NCT90000002", "2024-05-10"),          # no record yet: the id kept, no link
    ]))
    assert report.ok, report.as_text()
    links = dict(Milestone.objects.values_list("trial_id", "trial_record_id"))
    assert links == {"NCT90000001": trial.pk, "CTR20260001": trial.pk, "NCT90000002": None}


def test_a_later_trial_record_links_the_existing_milestone_on_reimport(db) -> None:
    AssetFactory(code="LINK-2")
    import_csv("milestones", "\n".join([HEADER, _row("LINK-2", "NCT90000003", "2024-01-10")]))
    trial = _trial("NCT90000003")
    report = import_csv("milestones", "\n".join([HEADER, _row("LINK-2", "NCT90000003", "2024-01-10")]))
    assert report.ok and Milestone.objects.get().trial_record_id == trial.pk


def test_the_api_links_and_names_the_trial(db, login) -> None:
    asset = AssetFactory(code="LINK-3")
    source = SourceFactory()
    trial = _trial("NCT90000004")
    client = login("editor")
    response = client.post("/api/v1/milestones/", {
        "asset": asset.pk, "kind": "phase_started", "phase": "phase2", "status": "occurred", "date": "2024-02-01",
        "date_precision": "day", "trial_id": "nct90000004", "source": source.pk,
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["trial"] == trial.pk
    recompute_asset(asset.pk)
    assert login("viewer").get(f"/api/v1/milestones/{response.json()['id']}/").json()["trial"] == trial.pk
