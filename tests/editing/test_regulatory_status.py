"""Regulatory truth through the documented CSV contract: status per (indication, agency).

The programmes are real ones (Trodelvy, Blenrep, Adcetris, Padcev); the rows give only the events the
cases need, each with its kind, agency, indication and date as the agencies announced them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from milestones.models import Milestone
from programs.derivation.derived import recompute_asset
from programs.io.columns import MILESTONE_COLUMNS
from programs.io.importers import import_csv
from programs.models import Asset, Indication
from tests.factories import AssetFactory

HEADER = ",".join(MILESTONE_COLUMNS)
URL = "https://example.com/label"


def row(asset: str, kind: str, agency: str, indication: str, date: str, approval_type: str = "",
        trial_id: str = "", outcome: str = "") -> str:
    values = dict.fromkeys(MILESTONE_COLUMNS, "")
    values.update(asset=asset, kind=kind, agency=agency, indication=indication, approval_type=approval_type,
                  date=date, status="occurred", trial_id=trial_id, outcome=outcome, source_url=URL,
                  source_title="Label history")
    return ",".join(f'"{values[c]}"' for c in MILESTONE_COLUMNS)


def load(*rows: str) -> None:
    """Import the rows, then run the derived recompute the import queued on commit (the test's
    transaction never commits)."""
    report = import_csv("milestones", "\n".join([HEADER, *rows]))
    assert report.ok, report.as_text()
    for pk in Asset.objects.filter(derived_dirty=True).values_list("pk", flat=True):
        recompute_asset(pk)


def status_of(client, code: str) -> dict:  # type: ignore[no-untyped-def]
    asset = Asset.objects.get(code=code)
    response = client.get(f"/api/v1/assets/{asset.pk}/")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def api(login):  # type: ignore[no-untyped-def]
    return login("viewer")


def test_a_withdrawn_indication_leaves_the_drug_marketed(db, api) -> None:
    AssetFactory(code="Trodelvy")
    load(
        row("Trodelvy", "accelerated approval", "FDA", "Triple-negative breast cancer", "2020-04-22"),
        row("Trodelvy", "approval", "FDA", "Urothelial cancer", "2021-04-13", approval_type="accelerated"),
        row("Trodelvy", "approval", "FDA", "Triple-negative breast cancer", "2021-04-07", approval_type="full"),
        row("Trodelvy", "approval", "FDA", "HR+/HER2- breast cancer", "2023-02-03", approval_type="full"),
        row("Trodelvy", "marketing authorisation withdrawn", "FDA", "Urothelial cancer", "2024-11-22"),
        row("Trodelvy", "approval", "European Commission", "Triple-negative breast cancer", "2021-11-22"),
    )
    body = status_of(api, "Trodelvy")
    assert body["marketed"] is True and body["current_phase"] == "approved"
    by_key = {(s["indication"], s["agency"]): s for s in body["regulatory_status"]}
    assert set(by_key["Urothelial cancer", "FDA"]) == {"indication", "agency", "state", "approval_type", "phase",
                                                        "since"}
    assert by_key["Urothelial cancer", "FDA"]["state"] == "withdrawn"
    assert by_key["Urothelial cancer", "FDA"]["since"] == "2024-11-22"
    tnbc = by_key["Triple-negative breast cancer", "FDA"]
    assert (tnbc["state"], tnbc["approval_type"], tnbc["since"]) == ("approved", "full", "2021-04-07")
    assert by_key["HR+/HER2- breast cancer", "FDA"]["state"] == "approved"
    assert by_key["Triple-negative breast cancer", "EC"]["state"] == "approved"
    # the filters say the same
    pk = Asset.objects.get(code="Trodelvy").pk
    for query, hit in (("approved_by=FDA", True), ("approved_by=PMDA", False), ("marketed=yes", True),
                       ("marketed=no", False), ("approval_type=full", True), ("approval_type=conditional", False)):
        ids = [a["id"] for a in api.get(f"/api/v1/assets/?{query}").json()["results"]]
        assert (pk in ids) is hit, query


def test_a_withdrawal_and_a_re_approval_end_approved(db, api) -> None:
    AssetFactory(code="Blenrep")
    load(
        row("Blenrep", "approval", "FDA", "Multiple myeloma", "2020-08-05", approval_type="accelerated"),
        row("Blenrep", "withdrawal", "FDA", "Multiple myeloma", "2022-11-22"),
        row("Blenrep", "approval", "MHRA", "Multiple myeloma", "2025-04-17"),
        row("Blenrep", "approval", "FDA", "Multiple myeloma", "2025-10-23", approval_type="full"),
    )
    body = status_of(api, "Blenrep")
    fda = next(s for s in body["regulatory_status"] if s["agency"] == "FDA")
    assert (fda["state"], fda["since"]) == ("approved", "2025-10-23")
    assert body["marketed"] is True and body["current_phase"] == "approved"


def test_only_withdrawals_leave_it_not_marketed(db, api) -> None:
    AssetFactory(code="Blenrep")
    load(
        row("Blenrep", "approval", "FDA", "Multiple myeloma", "2020-08-05", approval_type="accelerated"),
        row("Blenrep", "withdrawal", "FDA", "Multiple myeloma", "2022-11-22"),
    )
    body = status_of(api, "Blenrep")
    assert body["marketed"] is False and body["current_phase"] == "discontinued"
    assert body["regulatory_status"][0]["state"] == "withdrawn"


def test_two_approvals_on_one_day_are_two_records(db) -> None:
    AssetFactory(code="Adcetris")
    load(
        row("Adcetris", "accelerated approval", "FDA", "Hodgkin lymphoma", "2011-08-19"),
        row("Adcetris", "accelerated approval", "FDA", "Systemic anaplastic large cell lymphoma", "2011-08-19"),
    )
    assert Milestone.objects.filter(asset__code="Adcetris", kind="approval").count() == 2
    assert set(Milestone.objects.values_list("approval_type", flat=True)) == {"accelerated"}


def test_a_conversion_to_full_approval_is_seen_beside_a_same_day_new_indication(db, login) -> None:
    asset = AssetFactory(code="Padcev")
    load(
        row("Padcev", "accelerated approval", "FDA", "Urothelial cancer", "2019-12-18"),
        row("Padcev", "full approval", "FDA", "Urothelial cancer", "2021-07-09"),
        row("Padcev", "label expansion", "FDA", "Urothelial cancer, cisplatin-ineligible", "2021-07-09",
            approval_type="accelerated"),
    )
    assert Milestone.objects.filter(asset=asset, date="2021-07-09").count() == 2
    page = login("viewer").get(reverse("programs:asset_detail", args=[asset.slug])).content.decode()
    assert "Where it is approved" in page
    assert "converted from accelerated or conditional" in page
    # The timeline names each approval's type: the conversion is readable there too.
    assert "Approval (accelerated) · FDA" in page and "Approval (full) · FDA" in page
    assert Milestone.objects.get(asset=asset, date="2019-12-18").label == "Approval (accelerated) · FDA"


def test_a_sponsor_stop_without_an_approval_discontinues_it(db, api) -> None:
    AssetFactory(code="ADC-X1")
    load(row("ADC-X1", "IND cleared", "FDA", "Gastric cancer", "2022-01"),
         row("ADC-X1", "development discontinued", "", "", "2023-05"))
    body = status_of(api, "ADC-X1")
    assert body["current_phase"] == "discontinued" and body["marketed"] is False


@pytest.mark.parametrize(("cells", "column", "words"), [
    ({"kind": "withdrawal", "agency": ""}, "agency", "which agency"),
    ({"kind": "ind_cleared", "approval_type": "full"}, "approval_type", "approval or a label expansion"),
    ({"kind": "advisory committee", "outcome": "positive"}, "outcome", "Favourable"),
    ({"kind": "approval", "approval_type": "temporary"}, "approval_type", "is not one of"),
    ({"kind": "accelerated approval", "approval_type": "full"}, "approval_type", "contradicts"),
    ({"kind": "phase started", "phase": "phase1", "trial_id": "XYZ123"}, "trial_id", "not a trial registry id"),
    ({"kind": "approval", "agency": "EMEA%s"}, "agency", "is not one of"),
])
def test_bad_rows_name_their_column_and_write_nothing(db, cells: dict[str, str], column: str, words: str) -> None:
    AssetFactory(code="ADC-X1")
    values = dict.fromkeys(MILESTONE_COLUMNS, "")
    values.update(asset="ADC-X1", kind="approval", agency="FDA", date="2024-01-02", source_url=URL)
    values.update(cells)
    report = import_csv("milestones", HEADER + "\n" + ",".join(values[c] for c in MILESTONE_COLUMNS))
    assert not report.ok
    assert [e[1] for e in report.errors] == [column], report.as_text()
    assert words in report.errors[0][2]
    assert not Milestone.objects.exists()


def test_lower_case_trial_ids_are_normalised(db) -> None:
    AssetFactory(code="ADC-X1")
    values = dict.fromkeys(MILESTONE_COLUMNS, "")
    values.update(asset="ADC-X1", kind="phase started", phase="Phase 3", date="2024-01", source_url=URL,
                  trial_id="nct03734029; 2020-001234-56")
    load(",".join(f'"{values[c]}"' for c in MILESTONE_COLUMNS))
    assert Milestone.objects.get().trial_id == "NCT03734029"


def test_a_repeated_key_is_written_once_and_the_dry_run_says_so(db) -> None:
    AssetFactory(code="ADC-X1")
    text = "\n".join([HEADER, row("ADC-X1", "approval", "FDA", "Gastric cancer", "2024-01-02"),
                      row("ADC-X1", "approval", "FDA", "Gastric cancer", "2024-01-02", approval_type="full")])
    dry = import_csv("milestones", text, dry_run=True)
    assert dry.ok and any("same event as row 2" in w for w in dry.warnings), dry.as_text()
    assert "same event as row 2" in dry.as_text()
    import_csv("milestones", text)
    assert list(Milestone.objects.values_list("approval_type", flat=True)) == ["full"]


def test_quick_entry_and_the_api_take_two_same_day_approvals_for_two_indications(db, login) -> None:
    asset = AssetFactory(code="Adcetris")
    editor = login("editor")
    base = {"asset": "Adcetris", "kind": "approval", "agency": "FDA", "date": "2011-08-19", "status": "occurred",
            "approval_type": "accelerated", "source_url": "https://example.com/adcetris", "source_title": "FDA"}
    for indication in ("Hodgkin lymphoma", "Systemic anaplastic large cell lymphoma"):
        response = editor.post(reverse("milestones:quick_milestone"), {**base, "indication": indication})
        assert response.status_code == 302, response.content.decode()[:2000]
    again = editor.post(reverse("milestones:quick_milestone"), {**base, "indication": "hodgkin lymphoma"})
    assert again.status_code == 200 and "The same event is already recorded" in again.content.decode()
    assert Milestone.objects.filter(asset=asset).count() == 2
    api = {"asset": "Adcetris", "kind": "approval", "agency": "FDA", "date": "2011-08-19", "date_precision": "day",
           "status": "occurred", "source": "https://example.com/adcetris", "approval_type": "accelerated"}
    Indication.objects.create(name="Cutaneous T-cell lymphoma")
    created = editor.post("/api/v1/milestones/", {**api, "indication": "Cutaneous T-cell lymphoma"},
                          content_type="application/json")
    assert created.status_code == 201, created.content
    duplicate = editor.post("/api/v1/milestones/", {**api, "indication": "Hodgkin lymphoma"},
                            content_type="application/json")
    assert duplicate.status_code == 409
    refused = editor.post("/api/v1/milestones/", {**api, "kind": "ind_cleared", "date": "2011-01-03"},
                          content_type="application/json")
    assert refused.status_code == 400 and "approval_type" in refused.json()["error"]["fields"]


def test_a_hostile_trial_id_is_quoted_as_typed_in_the_api_error(db, login) -> None:
    AssetFactory(code="ADC-X1")
    body = {"asset": "ADC-X1", "kind": "phase_started", "phase": "phase1", "date": "2024-01-02",
            "date_precision": "day", "status": "occurred", "source": "https://example.com/s", "trial_id": "NCT%s{}"}
    response = login("editor").post("/api/v1/milestones/", body, content_type="application/json")
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["trial_id"][0]
    assert message.startswith("'NCT%s{}' is not a trial registry id")


def test_a_registry_phase_start_without_an_agency_moves_every_pair_in_development(db, api) -> None:
    """A CT.gov phase start names no agency: the NMPA IND row must not stay "IND cleared" beside it."""
    AssetFactory(code="JS-WIDE")
    load(
        row("JS-WIDE", "IND cleared", "NMPA", "", "2024-03-01"),
        row("JS-WIDE", "phase started", "", "", "2024-11-01").replace('"occurred","",', '"occurred","phase1",'),
        row("JS-WIDE", "IND cleared", "FDA", "", "2025-02-01"),
    )
    rows = {r["agency"]: r for r in status_of(api, "JS-WIDE")["regulatory_status"]}
    assert rows["NMPA"]["state"] == "in_development" and rows["NMPA"]["phase"] == "phase1"
    assert rows["NMPA"]["since"] == "2024-11-01"
    # An agency whose IND came after the asset reached Phase 1 is in Phase 1 there too, since its IND.
    assert rows["FDA"]["phase"] == "phase1" and rows["FDA"]["since"] == "2025-02-01"
