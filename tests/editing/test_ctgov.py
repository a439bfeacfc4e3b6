"""ClinicalTrials.gov v2 records become phase-started milestones with trial id, precision and indications."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from milestones.models import Milestone
from programs.io import ctgov_client
from programs.io.ctgov import CtgovError, attach_study, fetch_study, parse_study
from tests.factories import AssetFactory

RECORD = Path(__file__).resolve().parent.parent / "data" / "ctgov_v2_NCT06000001.json"


def record() -> dict:
    return json.loads(RECORD.read_text())


def test_it_parses_a_v2_study_record() -> None:
    study = parse_study(record())
    assert (study.nct_id, study.phase, study.overall_status, study.start_type) == (
        "NCT06000001", "phase1_2", "RECRUITING", "ACTUAL")
    assert (study.start.date, study.start.precision) == (dt.date(2024, 11, 1), "month")
    assert study.sponsor.startswith("Shanghai Junshi") and "Non-small Cell Lung Cancer" in study.conditions


@pytest.mark.django_db
def test_it_attaches_a_study_and_updates_it_on_reimport() -> None:
    asset = AssetFactory(code="JS212")
    milestone, created = attach_study(asset, record())
    assert created and milestone.kind == "phase_started" and milestone.trial_id == "NCT06000001"
    assert (milestone.status, milestone.date_precision) == ("occurred", "month")
    assert set(asset.indications.values_list("name", flat=True)) == {"Advanced Solid Tumors",
                                                                     "Non-small Cell Lung Cancer"}
    data = record()
    data["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "2030-03", "type": "ESTIMATED"}
    for key in ("primaryCompletionDateStruct", "completionDateStruct"):  # a registry keeps them after the start
        data["protocolSection"]["statusModule"][key] = {"date": "2033-03", "type": "ESTIMATED"}
    again, created = attach_study(asset, data)
    assert not created and again.pk == milestone.pk and again.status == "planned"
    assert Milestone.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_an_actual_start_in_the_future() -> None:
    data = record()
    status = data["protocolSection"]["statusModule"]
    status["startDateStruct"] = {"date": "2099-01", "type": "ACTUAL"}
    status["primaryCompletionDateStruct"] = status["completionDateStruct"] = {"date": "2100-01", "type": "ESTIMATED"}
    with pytest.raises(Exception, match="future"):
        attach_study(AssetFactory(), data)
    assert not Milestone.objects.exists()


def test_it_explains_when_offline(monkeypatch) -> None:
    def offline(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise urllib.error.URLError("no route to host")

    waits: list[float] = []
    monkeypatch.setattr(ctgov_client.urllib.request, "urlopen", offline)
    monkeypatch.setattr(ctgov_client, "pause", waits.append)  # the one retry's backoff, not really slept
    with pytest.raises(CtgovError, match="could not be reached.*upload it instead"):
        fetch_study("NCT06000001")
    assert waits == [1.0]
    with pytest.raises(CtgovError, match="not an NCT id"):
        fetch_study("12345")


def test_it_refuses_a_record_that_is_not_a_study() -> None:
    with pytest.raises(CtgovError, match="Not a ClinicalTrials.gov API v2 study record"):
        parse_study({"studies": []})


@pytest.mark.django_db
def test_it_attaches_an_uploaded_record_from_the_web(login) -> None:
    asset = AssetFactory(code="JS212")
    upload = SimpleUploadedFile("study.json", RECORD.read_bytes(), content_type="application/json")
    response = login("editor").post(reverse("milestones:import_ctgov"), {"asset": "js212", "study_json": upload})
    assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
    assert Milestone.objects.get().trial_id == "NCT06000001"


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "why"), [
    ({"designModule": {"studyType": "INTERVENTIONAL", "phases": ["NA"]}}, "phase NA"),
    ({"designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE4"]}}, "phase 4"),
    ({"designModule": {"studyType": "OBSERVATIONAL", "phases": []}}, "observational"),
    ({"statusModule": {"overallStatus": "WITHDRAWN", "whyStopped": "Sponsor decision",
                       "startDateStruct": {"date": "2026-03", "type": "ESTIMATED"}}}, "withdrawn"),
])
def test_it_invents_no_phase_start(change: dict, why: str) -> None:  # type: ignore[type-arg]
    from milestones.models import Trial

    asset = AssetFactory(code="JS212")
    data = record()
    data["protocolSection"].update(change)
    milestone, created = attach_study(asset, data)
    assert milestone is None and not created, why
    assert not Milestone.objects.exists()
    trial = Trial.objects.get()
    assert trial.registry_ids.get().value == "NCT06000001"
    if why == "withdrawn":
        assert (trial.overall_status, trial.why_stopped) == ("WITHDRAWN", "Sponsor decision")


@pytest.mark.django_db
def test_it_keeps_what_analysts_watch_and_never_duplicates_the_trial() -> None:
    from milestones.models import Trial

    asset = AssetFactory(code="JS212")
    data = record()
    proto = data["protocolSection"]
    proto["identificationModule"].update(acronym="EXPLORE-212", secondaryIdInfos=[
        {"id": "CTR20241234", "type": "REGISTRY"}, {"id": "JS212-001-I"}])
    proto["sponsorCollaboratorsModule"]["collaborators"] = [{"name": "BioDlink", "class": "INDUSTRY"}]
    proto["armsInterventionsModule"] = {
        "armGroups": [{"label": "JS212 + toripalimab", "type": "EXPERIMENTAL",
                       "interventionNames": ["Drug: JS212", "Drug: Toripalimab"]}],
        "interventions": [{"type": "DRUG", "name": "JS212"}, {"type": "DRUG", "name": "Toripalimab"}]}
    proto["contactsLocationsModule"] = {"locations": [{"country": "China"}, {"country": "China"},
                                                      {"country": "United States"}]}
    attach_study(asset, data)
    attach_study(asset, data)  # a re-import refreshes, never duplicates
    trial = Trial.objects.get()
    assert (trial.acronym, trial.phases, trial.countries) == ("EXPLORE-212", ["PHASE1", "PHASE2"],
                                                              ["China", "United States"])
    assert sorted(trial.registry_ids.values_list("value", flat=True)) == ["CTR20241234", "NCT06000001"]
    assert list(trial.collaborators.values_list("name", flat=True)) == ["BioDlink"]
    assert (trial.primary_completion_date, trial.primary_completion_type) == (dt.date(2027, 6, 1), "ESTIMATED")
    assert (trial.enrollment, trial.enrollment_type) == (200, "ESTIMATED")
    arm = trial.arms.get()
    assert [(i.name, i.role) for i in arm.interventions.all()] == [("JS212", "asset"), ("Toripalimab", "partner")]
    assert arm.regimen == "JS212 + Toripalimab"
    assert Milestone.objects.get().trial_record == trial


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "words"), [
    ({"identificationModule": {"briefTitle": "No id"}}, "Not a ClinicalTrials.gov API v2 study record"),
    ({"designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE5"]}}, "not ClinicalTrials.gov phases"),
    ({"statusModule": {"overallStatus": "COMPLETED", "startDateStruct": {"date": "2024-11", "type": "ACTUAL"},
                       "completionDateStruct": {"date": "2023-01", "type": "ACTUAL"}}}, "before the start"),
])
def test_it_refuses_bad_records_and_writes_nothing(change: dict, words: str) -> None:  # type: ignore[type-arg]
    from django.core.exceptions import ValidationError

    from milestones.models import Trial

    asset = AssetFactory(code="JS212")
    data = record()
    data["protocolSection"].update(change)
    with pytest.raises((CtgovError, ValidationError)) as info:
        attach_study(asset, data)
    assert words in str(info.value)
    assert not Trial.objects.exists() and not Milestone.objects.exists()


@pytest.mark.django_db
def test_the_command_reads_a_search_page_and_skips_unknown_assets(tmp_path) -> None:
    from django.core.management import CommandError, call_command

    from milestones.models import Trial

    AssetFactory(code="JS212")
    known = record()
    unknown = record()
    unknown["protocolSection"]["identificationModule"]["nctId"] = "NCT06000002"
    unknown["protocolSection"]["armsInterventionsModule"] = {"interventions": [{"name": "XYZ-999"}]}
    bad = record()
    bad["protocolSection"]["identificationModule"]["nctId"] = "NCT06000003"
    bad["protocolSection"]["designModule"]["phases"] = ["PHASE9"]
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"studies": [known, unknown], "nextPageToken": "abc"}))
    out = __import__("io").StringIO()
    call_command("import_ctgov", str(page), "--dry-run", stdout=out)
    assert "would write page.json NCT06000001 (JS212)" in out.getvalue()
    assert "skipped page.json NCT06000002" in out.getvalue()
    assert not Trial.objects.exists()
    call_command("import_ctgov", str(page), stdout=out)
    assert Trial.objects.count() == 1 and Milestone.objects.count() == 1
    single = tmp_path / "bad.json"
    single.write_text(json.dumps(bad))
    with pytest.raises(CommandError, match="1 study could not be imported"):
        call_command("import_ctgov", str(single), stdout=out, stderr=out)
    assert Trial.objects.count() == 1
