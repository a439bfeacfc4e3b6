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
from programs.io import ctgov
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
    again, created = attach_study(asset, data)
    assert not created and again.pk == milestone.pk and again.status == "planned"
    assert Milestone.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_an_actual_start_in_the_future() -> None:
    data = record()
    data["protocolSection"]["statusModule"]["startDateStruct"] = {"date": "2099-01", "type": "ACTUAL"}
    with pytest.raises(Exception, match="future"):
        attach_study(AssetFactory(), data)


def test_it_explains_when_offline(monkeypatch) -> None:
    def offline(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise urllib.error.URLError("no route to host")

    monkeypatch.setattr(ctgov.urllib.request, "urlopen", offline)
    with pytest.raises(CtgovError, match="could not be reached.*upload it instead"):
        fetch_study("NCT06000001")
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
