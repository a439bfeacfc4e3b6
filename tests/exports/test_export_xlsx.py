"""The BD workbook read back with openpyxl: the page's labelled columns, typed dates at their precision,
money as numbers in a currency format, Terms with the disputed rows marked, Sources, About, ``columns=``."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from programs.io.columns import DEAL_COLUMNS
from programs.io.export.books import ASSET_BOOK, DEAL_BOOK
from programs.models import ExportLog
from tests.exports.helpers import body, csv_rows
from tests.factories import DealFactory, DealPartyFactory, DealTermsFactory


def _book(response: Any) -> openpyxl.Workbook:
    assert response.status_code == 200, body(response)[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def _rows(ws: Any) -> dict[str, dict[str, Any]]:
    """The sheet's rows keyed by their second cell (the deal title / the INN) or first, as header -> cell."""
    header = [c.value for c in ws[1]]
    return {row[1].value or row[0].value: dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2)}


def _deals_at_every_precision() -> None:
    for precision, on in (("day", dt.date(2025, 3, 14)), ("month", dt.date(2023, 12, 1)),
                          ("quarter", dt.date(2026, 4, 1)), ("half", dt.date(2026, 7, 1)),
                          ("year", dt.date(2024, 1, 1))):
        DealFactory(title=f"{precision} deal", announced_on=on, announced_precision=precision, kind="co_development")
    DealFactory(title="undated deal", announced_on=None, announced_precision="unknown", kind="option")


def test_it_writes_the_page_columns_with_labels_and_dates_at_their_precision(db: None, bd_client: Client) -> None:
    _deals_at_every_precision()
    wb = _book(bd_client.get(reverse("programs:deal_export"), {"format": "xlsx"}))
    assert wb.sheetnames == ["Deals", "Terms", "Sources", "About"]
    ws = wb["Deals"]
    header = [c.value for c in ws[1]]
    assert header == ["Announced", "Deal", "Kind", "Parties", "Assets", "Territory", "Value (M USD)", "Status"]
    assert all(c.font.b for c in ws[1]) and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H7"
    assert ws.column_dimensions["B"].width >= 40 and ws.column_dimensions["G"].width >= len("Value (M USD)")
    rows = _rows(ws)
    expected = {"day deal": (dt.date(2025, 3, 14), "yyyy-mm-dd"), "month deal": (dt.date(2023, 12, 1), "mmm yyyy"),
                "quarter deal": (dt.date(2026, 4, 1), '"Q2 "yyyy'), "half deal": (dt.date(2026, 7, 1), '"H2 "yyyy'),
                "year deal": (dt.date(2024, 1, 1), "yyyy")}
    for title, (day, number_format) in expected.items():
        cell = rows[title]["Announced"]
        assert cell.is_date and cell.value.date() == day and cell.number_format == number_format, title
    assert rows["undated deal"]["Announced"].value == "not stated"
    assert rows["day deal"]["Kind"].value == "Co-development" and rows["undated deal"]["Kind"].value == "Option"
    assert rows["day deal"]["Status"].value == "Active"
    assert rows["day deal"]["Value (M USD)"].value == "undisclosed"  # no terms: never 0


def test_it_writes_money_as_numbers_in_their_currency(db: None, bd_client: Client) -> None:
    deal = DealFactory(title="Yuan deal", announced_on=dt.date(2025, 3, 14), announced_precision="day")
    DealPartyFactory(deal=deal, company__name="Hengrui", role="licensor")
    DealPartyFactory(deal=deal, company__name="Merck", role="licensee")
    DealTermsFactory(deal=deal, currency="CNY", upfront=Decimal("700"), total_value=Decimal("7000"),
                     usd_per_unit=Decimal("0.14"), source__title="Company release", source__url="https://x.example/pr")
    columns = "page,upfront,equity,upfront_usd,currency"
    ws = _book(bd_client.get(reverse("programs:deal_export"), {"format": "xlsx", "columns": columns}))["Deals"]
    row = _rows(ws)["Yuan deal"]
    assert row["Parties"].value == "Hengrui (Licensor); Merck (Licensee)"
    assert (row["Value (M USD)"].value, row["Value (M USD)"].data_type) == (980, "n")
    assert "USD" in row["Value (M USD)"].number_format
    assert row["Upfront (M, deal currency)"].value == 700 and "CNY" in row["Upfront (M, deal currency)"].number_format
    assert row["Upfront (M USD)"].value == 98
    assert row["Equity (M, deal currency)"].value == "undisclosed"
    assert row["Currency"].value == "CNY"


def test_it_lists_every_terms_row_with_the_disputed_marked(demo_data: None, bd_client: Client) -> None:
    DealTermsFactory(deal__title="One source only", total_value=Decimal("50"))
    wb = _book(bd_client.get(reverse("programs:deal_export"), {"format": "xlsx"}))
    header = [c.value for c in wb["Terms"][1]]
    terms = [dict(zip(header, r, strict=True)) for r in wb["Terms"].iter_rows(min_row=2)]
    bms = [t for t in terms if "BL-B01D1" in t["Deal"].value]
    assert [(t["Standing"].value, t["Disputed"].value) for t in bms] == [
        ("standing", "disputed"), ("not standing", "disputed")]
    standing, press = bms
    assert standing["Upfront"].value == 800 and standing["Total value"].value == 8400
    # the terms add up: the US$500M near-term payment has its own field, no longer only a note
    assert standing["Upfront"].value + standing["Near-term"].value + standing["Milestones"].value == 8400
    assert "USD" in standing["Upfront"].number_format and standing["Announced"].is_date
    assert press["Total value"].value == 84000 and press["Upfront"].value == "undisclosed"
    assert press["Source URL"].value.startswith("https://www.vcbeat.top/")
    undisputed = [t for t in terms if "BL-B01D1" not in t["Deal"].value]
    assert [t["Deal"].value for t in undisputed] == ["One source only"]
    assert all(t["Disputed"].value is None for t in undisputed)
    # every source a deal or its terms cite, linked
    sources = {r[0].value: r[1] for r in wb["Sources"].iter_rows(min_row=2)}
    assert sources[press["Source"].value].hyperlink.target == press["Source URL"].value
    deals = _rows(wb["Deals"])
    bms_deal = next(r for title, r in deals.items() if "BL-B01D1" in title)
    assert bms_deal["Announced"].is_date and bms_deal["Announced"].value.date() == dt.date(2023, 12, 11)
    assert bms_deal["Parties"].value.count("Bristol Myers Squibb") == 1


def test_the_about_sheet_says_what_produced_the_file(db: None, bd_client: Client) -> None:
    DealFactory(kind="licence")
    query = {"format": "xlsx", "kind": "licence", "ordering": "-announced", "columns": "page,licensor"}
    wb = _book(bd_client.get(reverse("programs:deal_export"), query))
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert about["Filters and sort"] == "kind = licence; ordering = -announced"  # columns= is not a filter
    assert about["Columns"].startswith("Announced; Deal; Kind") and about["Columns"].endswith("Status; Licensor")
    assert about["Exported by"] == "bd-user" and about["Rows"] == 1 and about["Terms rows"] == 0
    assert "columns=page%2Clicensor" in about["Query string"]


def test_columns_selects_the_same_names_in_csv_and_xlsx(db: None, bd_client: Client) -> None:
    DealTermsFactory(deal__title="Alpha", total_value=Decimal("1000"))
    url = reverse("programs:deal_export")
    ws = _book(bd_client.get(url, {"format": "xlsx", "columns": "all"}))["Deals"]
    assert [c.value for c in ws[1]] == [c.label for c in DEAL_BOOK]
    ws = _book(bd_client.get(url, {"format": "xlsx", "columns": ["value_usd", "title"]}))["Deals"]
    assert [c.value for c in ws[1]] == ["Deal", "Value (M USD)"]  # the page's order, whatever the request's
    full = csv_rows(bd_client.get(url, {"format": "csv"}))
    assert list(full[0])[: len(DEAL_COLUMNS)] == list(DEAL_COLUMNS)  # the round-trip file is unchanged
    (row,) = csv_rows(bd_client.get(url, {"format": "csv", "columns": "value_usd,title"}))
    assert row == {"title": "Alpha", "value_usd": "1000"}


def test_an_unknown_column_is_refused_in_plain_text_and_logs_nothing(db: None, bd_client: Client) -> None:
    for fmt in ("csv", "xlsx"):
        response = bd_client.get(reverse("programs:asset_export"), {"format": fmt, "columns": "code,<b>x</b>"})
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"  # the value is never read as HTML
        assert "Unknown column(s): <b>x</b>" in response.content.decode()
    response = bd_client.get(reverse("programs:deal_export"), {"format": "<script>"})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert not ExportLog.objects.exists()


def test_it_exports_demo_assets_with_labels(demo_data: None, bd_client: Client, tmp_path: Path) -> None:
    wb = _book(bd_client.get(reverse("programs:asset_export"), {"format": "xlsx"}))
    assert wb.sheetnames == ["Assets", "Sources", "About"]
    ws = wb["Assets"]
    assert [c.value for c in ws[1]] == [c.label for c in ASSET_BOOK if c.on_page]
    rows = {r[0].value: dict(zip([c.value for c in ws[1]], r, strict=True)) for r in ws.iter_rows(min_row=2)}
    bl = rows["BL-B01D1"]
    assert bl["Targets"].value == "EGFR × ERBB3"
    assert bl["Format"].value == "Bispecific" and bl["Payload class"].value == "Topoisomerase I inhibitor"
    assert bl["Highest phase"].value == "Phase 3"
    dated = [r for r in rows.values() if r["Date"].is_date]
    assert dated and all(r["Latest event"].value for r in dated)
    # an event whose date is not stated says so, as the page does
    assert bl["Date"].value == "not stated" and bl["Latest event"].value == "Phase started · Phase 3"
    everything = _book(bd_client.get(reverse("programs:asset_export"), {"format": "xlsx", "columns": "all"}))
    all_rows = _rows(everything["Assets"])
    assert all_rows["izalontamab brengitecan"]["Other names"].value == "iza-bren"
    assert all_rows["izalontamab brengitecan"]["Cleavable linker"].value in {"Yes", "No", None}
    if shutil.which("libreoffice"):  # opens in LibreOffice: convert headless and check the output exists
        path = tmp_path / "assets.xlsx"
        path.write_bytes(body(bd_client.get(reverse("programs:asset_export"), {"format": "xlsx"})))
        subprocess.run(["libreoffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
                       check=True, capture_output=True, timeout=120)
        assert "BL-B01D1" in (tmp_path / "assets.csv").read_text()
