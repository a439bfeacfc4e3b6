"""``import_csv trials``: upsert by any registry id, dates at precision with actual / estimated, vocabularies
by label or synonym, unknown assets and companies refused (row and column named), all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from milestones.models import Trial, TrialRegistryId
from programs.io.columns import TRIAL_COLUMNS
from programs.io.importers import import_csv
from programs.models import Asset, Company, Indication
from tests.factories import AssetFactory, CompanyFactory

HEADER = ",".join(TRIAL_COLUMNS)


def row(**cells: str) -> str:
    values = dict.fromkeys(TRIAL_COLUMNS, "")
    values.update(registry_ids="NCT09990001", assets="ADC-T1", sponsor="acme-bio")
    values.update(cells)
    return ",".join(f'"{values[c]}"' for c in TRIAL_COLUMNS)


def csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows])


@pytest.fixture
def known(db: None) -> tuple[Asset, Company]:
    return AssetFactory(code="ADC-T1"), CompanyFactory(name="Acme Bio", slug="acme-bio")


def test_it_creates_a_trial_with_everything_the_row_says(known: tuple[Asset, Company]) -> None:
    asset, sponsor = known
    partner = CompanyFactory(name="Partner Pharma Inc", slug="partner-pharma")
    text = csv(
        row(
            registry_ids="nct09990001; CTR20990001",
            acronym="EXAMPLE-1",
            title="A made-up study",
            phases="Phase 2; PHASE3",
            study_type="interventional",
            status="Active, not recruiting",
            collaborators="Partner Pharma",
            conditions="Breast cancer; Gastric cancer",
            countries="China; Japan",
            start="2024-05-14 (actual)",
            primary_completion="2026-06 (estimated)",
            completion="2027-H1 (Estimated)",
            enrollment="420 (anticipated)",
            source_url="https://example.com/registry/1",
        )
    )
    dry = import_csv("trials", text, dry_run=True)
    assert dry.ok and [r.action for r in dry.rows] == ["created"] and not Trial.objects.exists()
    report = import_csv("trials", text)
    assert report.ok, report.as_text()
    trial = Trial.objects.get()
    assert sorted(trial.registry_ids.values_list("value", flat=True)) == ["CTR20990001", "NCT09990001"]
    assert (trial.acronym, trial.phases, trial.study_type) == ("EXAMPLE-1", ["PHASE2", "PHASE3"], "INTERVENTIONAL")
    assert trial.overall_status == "ACTIVE_NOT_RECRUITING" and trial.lead_sponsor == sponsor
    assert list(trial.collaborators.all()) == [partner] and list(trial.assets.all()) == [asset]
    assert sorted(trial.conditions.values_list("name", flat=True)) == ["Breast cancer", "Gastric cancer"]
    assert trial.countries == ["China", "Japan"] and (trial.enrollment, trial.enrollment_type) == (420, "ESTIMATED")
    assert (trial.start_date, trial.start_precision, trial.start_type) == (dt.date(2024, 5, 14), "day", "ACTUAL")
    assert (trial.primary_completion_date, trial.primary_completion_precision, trial.primary_completion_type) == (
        dt.date(2026, 6, 1),
        "month",
        "ESTIMATED",
    )
    assert (trial.completion_precision, trial.completion_type) == ("half", "ESTIMATED")
    assert trial.source.url == "https://example.com/registry/1"
    assert trial.history.count() == 1  # written with history like every edit


def test_it_upserts_by_any_registry_id_and_never_duplicates(known: tuple[Asset, Company]) -> None:
    assert import_csv("trials", csv(row(registry_ids="NCT09990001", status="recruiting"))).ok
    # Same trial named by a second id too, twice in one file: one trial, updated, the new id added.
    text = csv(
        row(registry_ids="CTR20990001;NCT09990001", status="completed", phases=""),
        row(registry_ids="ctr20990001", acronym="LATER"),
    )
    report = import_csv("trials", text)
    assert report.ok, report.as_text()
    assert [r.action for r in report.rows] == ["updated", "updated"]
    trial = Trial.objects.get()
    assert trial.registry_ids.count() == 2 and trial.overall_status == "COMPLETED" and trial.acronym == "LATER"
    again = import_csv("trials", text)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged"] and Trial.objects.count() == 1


def test_ids_of_two_different_trials_in_one_row_are_refused(known: tuple[Asset, Company]) -> None:
    assert import_csv("trials", csv(row(registry_ids="NCT09990001"), row(registry_ids="NCT09990002"))).ok
    report = import_csv("trials", csv(row(registry_ids="NCT09990001; NCT09990002", acronym="MERGED")))
    assert report.errors[0][:2] == (2, "registry_ids") and "different trials" in report.errors[0][2]
    assert not Trial.objects.filter(acronym="MERGED").exists()


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("Phase 2", ["PHASE2"]),
        ("PHASE2", ["PHASE2"]),
        ("phase ii", ["PHASE2"]),
        ("N/A", ["NA"]),
        ("not applicable", ["NA"]),
        ("Early Phase 1", ["EARLY_PHASE1"]),
        ("phase 1|phase 2", ["PHASE1", "PHASE2"]),
        ("Phase IV", ["PHASE4"]),
        ("", []),
    ],
)
def test_phases_accept_labels_and_synonyms(known: tuple[Asset, Company], cell: str, stored: list[str]) -> None:
    assert import_csv("trials", csv(row(phases=cell))).ok
    assert Trial.objects.get().phases == stored  # none is invented for a blank cell


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("Active, not recruiting", "ACTIVE_NOT_RECRUITING"),
        ("ACTIVE_NOT_RECRUITING", "ACTIVE_NOT_RECRUITING"),
        ("not yet recruiting", "NOT_YET_RECRUITING"),
        ("Withdrawn", "WITHDRAWN"),
        ("enrolling by invitation", "ENROLLING_BY_INVITATION"),
    ],
)
def test_statuses_accept_labels_in_any_case(known: tuple[Asset, Company], cell: str, stored: str) -> None:
    assert import_csv("trials", csv(row(status=cell))).ok
    assert Trial.objects.get().overall_status == stored


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"registry_ids": "ABC123"}, "registry_ids", "is not a trial registry id"),
        ({"registry_ids": ""}, "registry_ids", "at least one registry id"),
        ({"phases": "Phase 9"}, "phases", "is not one of"),
        ({"phases": "Phase 2; N/A"}, "phases", "cannot be combined"),
        ({"status": "paused"}, "status", "is not one of"),
        ({"study_type": "in vitro"}, "study_type", "is not one of"),
        ({"assets": "ADC-T1; NO-SUCH-ADC"}, "assets", "No asset is known as 'NO-SUCH-ADC'"),
        ({"sponsor": "Nobody Therapeutics"}, "sponsor", "No company is known as 'Nobody Therapeutics'"),
        ({"collaborators": "Ghost Bio"}, "collaborators", "No company is known as 'Ghost Bio'"),
        ({"start": "2025-03 (actual)", "completion": "2024-01"}, "completion", "cannot come before the start"),
        (
            {"start": "2025-03", "primary_completion": "2024-12 (estimated)"},
            "primary_completion",
            "cannot come before the start",
        ),
        ({"start": "soonish (estimated)"}, "start", "is not a date"),
        ({"enrollment": "many (actual)"}, "enrollment", "is not a whole number"),
        ({"title": "x" * 501}, "title", "At most 500 characters"),
    ],
)
def test_bad_cells_are_row_errors_and_nothing_is_written(
    known: tuple[Asset, Company], cells: dict[str, str], column: str, words: str
) -> None:
    companies, indications = Company.objects.count(), Indication.objects.count()
    text = csv(row(registry_ids="NCT09990005", conditions="Made-up cancer"), row(**cells))
    report = import_csv("trials", text)
    assert not report.ok
    assert [(r, c) for r, c, _ in report.errors] == [(3, column)], report.as_text()
    assert words in report.errors[0][2]
    assert not Trial.objects.exists() and not TrialRegistryId.objects.exists()  # the good row 2 neither
    assert (Company.objects.count(), Indication.objects.count()) == (companies, indications)
    assert "Nothing was written" in report.as_text()


def test_a_percent_sign_in_a_value_is_quoted_not_formatted(known: tuple[Asset, Company]) -> None:
    report = import_csv("trials", csv(row(sponsor="100%s Bio %(x)s")))
    assert report.errors[0][1] == "sponsor" and "100%s Bio %(x)s" in report.errors[0][2]


def test_a_blank_cell_keeps_what_the_trial_has(known: tuple[Asset, Company]) -> None:
    assert import_csv("trials", csv(row(acronym="KEEP", countries="China", start="2024 (actual)"))).ok
    assert import_csv("trials", csv(row(status="terminated"))).ok
    trial = Trial.objects.get()
    assert (trial.acronym, trial.countries, trial.start_precision) == ("KEEP", ["China"], "year")
    assert trial.overall_status == "TERMINATED"


def test_the_command_and_the_web_form_import_trials(known: tuple[Asset, Company], tmp_path: Path, login) -> None:
    path = tmp_path / "trials.csv"
    path.write_text(csv(row(registry_ids="NCT09990009")))
    call_command("import_csv", "trials", str(path), "--dry-run")
    assert not Trial.objects.exists()
    call_command("import_csv", "trials", str(path))
    assert TrialRegistryId.objects.filter(value="NCT09990009").exists()
    path.write_text(csv(row(registry_ids="NCT09990010", assets="NOPE")))
    with pytest.raises(CommandError):
        call_command("import_csv", "trials", str(path))
    upload = SimpleUploadedFile("t.csv", csv(row(registry_ids="NCT09990011")).encode())
    response = login("editor").post(reverse("programs:import_csv"), {"table": "trials", "file": upload})
    assert response.status_code == 200 and "1 created" in response.content.decode()
    assert TrialRegistryId.objects.filter(value="NCT09990011").exists()


def test_linking_a_known_trial_to_an_asset_shows_on_its_cached_page(known: tuple[Asset, Company], login) -> None:
    asset, _ = known
    other = AssetFactory(code="ADC-T2")
    assert import_csv("trials", csv(row(registry_ids="NCT09990021", acronym="LINKME"))).ok
    client = login("viewer")
    assert "LINKME" not in client.get(other.get_absolute_url()).content.decode()  # now cached without it
    report = import_csv("trials", csv(row(registry_ids="NCT09990021", assets="ADC-T1; ADC-T2")))
    assert [r.action for r in report.rows] == ["updated"]
    assert "LINKME" in client.get(other.get_absolute_url()).content.decode()
