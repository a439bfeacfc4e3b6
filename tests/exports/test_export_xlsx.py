"""XLSX exports read back with openpyxl: typed cells, frozen bold header, auto-filter, About sheet."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.test import Client
from django.urls import reverse

from programs.io.columns import ASSET_COLUMNS, DEAL_COLUMNS
from tests.exports.helpers import body
from tests.factories import DealFactory, DealTermsFactory


def _book(response: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def test_it_writes_typed_cells_and_two_sheets(db: None, bd_client: Client, tmp_path: Path) -> None:
    day = DealFactory(title="Day deal", announced_on=dt.date(2025, 3, 14), announced_precision="day")
    DealTermsFactory(deal=day, currency="CNY", upfront=Decimal("700"), total_value=Decimal("7000"),
                     usd_per_unit=Decimal("0.14"), source__title="Company release", source__url="https://x.example/pr")
    DealFactory(title="Quarter deal", announced_on=dt.date(2026, 4, 1), announced_precision="quarter")
    query = {"format": "xlsx", "ordering": "title", "kind": "licence"}
    response = bd_client.get(reverse("programs:deal_export"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = _book(response)
    assert wb.sheetnames == ["Deals", "About"]
    ws = wb["Deals"]
    header = [c.value for c in ws[1]]
    assert header[: len(DEAL_COLUMNS)] == list(DEAL_COLUMNS)
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}3"
    assert ws.column_dimensions["A"].width > 8
    day_row = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert day_row["title"].value == "Day deal"
    assert day_row["announced"].is_date and day_row["announced"].value.date() == dt.date(2025, 3, 14)
    assert day_row["upfront"].value == 700 and day_row["upfront"].data_type == "n"
    assert "CNY" in day_row["upfront"].number_format
    assert day_row["upfront_usd"].value == 98 and "USD" in day_row["upfront_usd"].number_format
    quarter_row = {h: c for h, c in zip(header, ws[3], strict=True)}
    assert quarter_row["announced"].value == "2026-Q2"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert "kind = licence" in about["Filters and sort"]
    assert about["Exported by"] == "bd-user"
    assert about["Rows"] == 2
    assert about["Company release"] == "https://x.example/pr"
    if shutil.which("libreoffice"):  # opens in LibreOffice: convert headless and check the output exists
        path = tmp_path / "deals.xlsx"
        path.write_bytes(body(bd_client.get(reverse("programs:deal_export"), {"format": "xlsx"})))
        subprocess.run(["libreoffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(path)],
                       check=True, capture_output=True, timeout=120)
        assert "Day deal" in (tmp_path / "deals.csv").read_text()


def test_it_exports_demo_assets_as_xlsx(demo_data: None, bd_client: Client) -> None:
    wb = _book(bd_client.get(reverse("programs:asset_export"), {"format": "xlsx"}))
    ws = wb["Assets"]
    header = [c.value for c in ws[1]]
    assert header[: len(ASSET_COLUMNS)] == list(ASSET_COLUMNS)
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["BL-B01D1"]["aliases"] == "iza-bren"
    assert rows["BL-B01D1"]["targets"] == "EGFR;ERBB3"
    assert "About" in wb.sheetnames
