"""CSV import: dry run reports, all-or-nothing writes, Excel flavour, per-rule validation, size limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from milestones.models import Milestone, SafetyEvent
from programs.io.columns import ASSET_COLUMNS, DEAL_COLUMNS, MILESTONE_COLUMNS, SAFETY_COLUMNS
from programs.io.importers import import_csv
from programs.models import Asset, Company, Deal
from tests.factories import AssetFactory, CompanyFactory, MilestoneFactory

MS_HEADER = ",".join(MILESTONE_COLUMNS)


def ms_row(asset: str = "JS212", kind: str = "IND cleared / approved", agency: str = "NMPA", date: str = "2025-02",
           status: str = "occurred", url: str = "https://example.com/a") -> str:
    values = dict.fromkeys(MILESTONE_COLUMNS, "")
    values.update(asset=asset, kind=kind, agency=agency, date=date, status=status, source_url=url,
                  source_title="A story")
    return ",".join(values[c] for c in MILESTONE_COLUMNS)


@pytest.fixture
def js212(db: None) -> Asset:
    return AssetFactory(code="JS212")


def test_it_creates_updates_and_reports_unchanged_rows(js212) -> None:
    MilestoneFactory(asset=js212, kind="ind_cleared", agency="FDA", date=dt.date(2024, 6, 1), date_precision="month")
    text = "\n".join([MS_HEADER, ms_row(), ms_row(agency="fda", date="2024-06"), ms_row(kind="ind_submitted",
                                                                                     date="2024-12-01")])
    dry = import_csv("milestones", text, dry_run=True)
    assert [r.action for r in dry.rows] == ["created", "updated", "created"]
    assert Milestone.objects.count() == 1  # dry run wrote nothing
    real = import_csv("milestones", text)
    assert real.ok and Milestone.objects.count() == 3
    again = import_csv("milestones", text)
    assert [r.action for r in again.rows] == ["unchanged"] * 3
    m = Milestone.objects.get(agency="NMPA", kind="ind_cleared")
    assert (m.date, m.date_precision, m.source.title) == (dt.date(2025, 2, 1), "month", "A story")


def test_it_writes_nothing_when_a_row_in_the_middle_is_bad(js212) -> None:
    rows = [ms_row(date=f"2024-{m:02d}", kind="approval") for m in range(1, 4)]
    rows.insert(1, ms_row(date="sometime"))
    report = import_csv("milestones", "\n".join([MS_HEADER, *rows]))
    assert not report.ok
    assert report.errors == [(3, "date", report.errors[0][2])] and "is not a date" in report.errors[0][2]
    assert Milestone.objects.count() == 0


def test_it_reads_excel_flavoured_csv(js212) -> None:
    text = "\ufeff" + ";".join(MILESTONE_COLUMNS) + "\r\n" + ms_row(kind="ind_cleared", date="Q1 2025",
                                                                     url="https://example.com/x").replace(",", ";") \
        + "\r\n"
    report = import_csv("milestones", text.encode("utf-8"))
    assert report.ok, report.as_text()
    assert Milestone.objects.get().date_precision == "quarter"


@pytest.mark.parametrize(("row", "column", "needle"), [
    (ms_row(date="2099-01-01"), "date", "future"),
    (ms_row(asset="NOPE"), "asset", "No asset is known"),
    (ms_row(url="not-a-url"), "source_url", "not a valid"),
    (ms_row(kind="launched"), "kind", "is not one of"),
])
def test_it_reports_each_rule_with_row_and_column(js212, row: str, column: str, needle: str) -> None:
    report = import_csv("milestones", f"{MS_HEADER}\n{row}")
    assert len(report.errors) == 1
    assert report.errors[0][:2] == (2, column) and needle in report.errors[0][2]


def test_it_refuses_an_ind_cleared_before_it_was_submitted(js212) -> None:
    text = "\n".join([MS_HEADER, ms_row(kind="ind_submitted", date="2025-03-01"),
                      ms_row(kind="ind_cleared", date="2025-01-01")])
    report = import_csv("milestones", text)
    assert report.errors[0][0] == 3 and "submitted, then accepted" in report.errors[0][2]


def test_it_imports_assets_and_warns_about_lookalike_companies(db) -> None:
    CompanyFactory(name="Merck")
    header = ",".join(ASSET_COLUMNS)
    values = dict.fromkeys(ASSET_COLUMNS, "")
    values.update(code="NEW-9", aliases="new nine;nn9", originator="Merck & Co.", targets="EGFR;HER3",
                  antibody_format="bispecific", dar="4.5", linker="Val-Cit", linker_cleavable="yes", masked="no",
                  status="active", indications="NSCLC", source_url="https://e.com/1")
    report = import_csv("assets", f"{header}\n{','.join(values.values())}")
    assert report.ok, report.as_text()
    asset = Asset.objects.get(code="NEW-9")
    assert [t.target.symbol for t in asset.asset_targets.all()] == ["EGFR", "ERBB3"]
    assert report.new_companies == ["Merck & Co."]
    assert "looks like known 'Merck'" in report.warnings[0]
    # nobody said what kind of company it is: "not set" until an editor does, never a guessed "Biotech"
    assert asset.originator.kind == "unknown" and asset.originator.get_kind_display() == "Kind not set"
    assert "new company: Merck & Co. (kind not set: an editor sets it)" in report.as_text()


@pytest.mark.parametrize(("cells", "column"), [
    ({"targets": "ERBX"}, "targets"), ({"dar": "25"}, "dar"), ({"dar": "0"}, "dar"),
])
def test_it_validates_asset_rows(db, cells: dict[str, str], column: str) -> None:
    values = dict.fromkeys(ASSET_COLUMNS, "")
    values.update({"code": "NEW-10", "originator": "Acme", "targets": "EGFR"}, **cells)
    report = import_csv("assets", ",".join(ASSET_COLUMNS) + "\n" + ",".join(values.values()))
    assert [e[1] for e in report.errors] == [column]
    assert not Asset.objects.filter(code="NEW-10").exists()
    assert not Company.objects.filter(name="Acme").exists()


@pytest.mark.parametrize(("cells", "column"), [
    ({"incidence_percent": "120"}, "incidence_percent"), ({"n": "12", "n_total": "10"}, "n"),
])
def test_it_validates_safety_rows(js212, cells: dict[str, str], column: str) -> None:
    values = dict.fromkeys(SAFETY_COLUMNS, "")
    values.update({"asset": "JS212", "category": "ILD", "term": "pneumonitis", "source_url": "https://e.com/s"},
                  **cells)
    report = import_csv("safety", ",".join(SAFETY_COLUMNS) + "\n" + ",".join(values.values()))
    assert {e[1] for e in report.errors} == {column}
    assert not SafetyEvent.objects.exists()


def test_it_imports_deals_with_roles_and_amounts(js212) -> None:
    values = dict.fromkeys(DEAL_COLUMNS, "")
    values.update({"announced": "2024-Q3", "licensor": "Junshi", "licensee": "BigPharma",
                   "other_parties": "BioDlink:cdmo", "assets": "JS212", "kind": "licence", "upfront": "100",
                   "total_value": "1000", "currency": "usd", "source_url": "https://e.com/d"})
    report = import_csv("deals", ",".join(DEAL_COLUMNS) + "\n" + ",".join(values.values()))
    assert report.ok, report.as_text()
    deal = Deal.objects.get()
    assert sorted(deal.deal_parties.values_list("role", flat=True)) == ["licensee", "licensor", "service_provider"]
    assert deal.terms.get().upfront == 100 and list(deal.assets.all()) == [js212]


def test_it_runs_from_the_command_line(js212, tmp_path, capsys) -> None:
    path = tmp_path / "m.csv"
    path.write_text(f"{MS_HEADER}\n{ms_row()}\n")
    call_command("import_csv", "milestones", str(path), "--dry-run")
    assert "1 created" in capsys.readouterr().out and not Milestone.objects.exists()
    call_command("import_csv", "milestones", str(path))
    assert Milestone.objects.count() == 1
    path.write_text(f"{MS_HEADER}\n{ms_row(date='bad')}\n")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_csv", "milestones", str(path))


def test_it_imports_from_the_web_and_refuses_big_files(js212, login, settings) -> None:
    client = login("editor")
    url = reverse("programs:import_csv")
    upload = SimpleUploadedFile("m.csv", f"{MS_HEADER}\n{ms_row()}\n".encode())
    response = client.post(url, {"table": "milestones", "file": upload, "dry_run": "on"})
    assert "1 created" in response.content.decode() and not Milestone.objects.exists()
    upload = SimpleUploadedFile("m.csv", f"{MS_HEADER}\n{ms_row()}\n".encode())
    client.post(url, {"table": "milestones", "file": upload})
    assert Milestone.objects.count() == 1
    settings.IMPORT_MAX_BYTES = 10
    upload = SimpleUploadedFile("m.csv", f"{MS_HEADER}\n{ms_row()}\n".encode())
    response = client.post(url, {"table": "milestones", "file": upload})
    assert "at most" in str(response.context["form"].errors["file"])
