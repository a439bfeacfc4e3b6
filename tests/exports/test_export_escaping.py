"""Formula injection: text cells starting like a formula are escaped; numbers stay numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from programs.io.export.writers import csv_text, escape
from tests.exports.helpers import body, csv_rows
from tests.factories import DealFactory, DealPartyFactory, DealTermsFactory


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_it_escapes_formula_starts(text: str) -> None:
    assert escape(text) == "'" + text
    assert csv_text(text) == "'" + text


def test_it_leaves_plain_text_and_numbers_alone() -> None:
    assert escape("Worldwide") == "Worldwide"
    assert csv_text(Decimal("-5")) == "-5"
    assert csv_text(-3) == -3


def test_it_escapes_hostile_cells_in_csv_and_xlsx(db: None, bd_client: Client) -> None:
    deal = DealFactory(title="=cmd|' /C calc'!A0", territory="@SUM(1)")
    DealPartyFactory(deal=deal, company__name="+Evil Corp")
    DealTermsFactory(deal=deal, upfront=Decimal("5"))
    (row,) = csv_rows(bd_client.get(reverse("programs:deal_export"), {"format": "csv"}))
    assert row["title"] == "'=cmd|' /C calc'!A0"
    assert row["territory"] == "'@SUM(1)"
    assert row["licensor"] == "'+Evil Corp"
    assert row["upfront"] == "5"
    response = bd_client.get(reverse("programs:deal_export"), {"format": "xlsx", "columns": "page,licensor,upfront"})
    wb = openpyxl.load_workbook(io.BytesIO(body(response)))
    ws = wb["Deals"]
    header = [c.value for c in ws[1]]
    cells = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert cells["Deal"].value == "'=cmd|' /C calc'!A0" and cells["Deal"].data_type == "s"
    assert cells["Territory"].value == "'@SUM(1)"
    assert cells["Licensor"].value == "'+Evil Corp"
    assert cells["Parties"].value.startswith("'+Evil Corp")
    assert cells["Upfront (M, deal currency)"].data_type == "n"
    terms = [c.value for c in wb["Terms"][2]]
    assert terms[0] == "'=cmd|' /C calc'!A0"


def test_it_keeps_a_negative_number_a_number_cell(db: None, bd_client: Client) -> None:
    from programs.io.export.books import plain_columns
    from programs.io.export.rows import Column, ExportSpec
    from programs.io.export.workbook import Book, write_book

    spec = ExportSpec("deals", (Column("n"), Column("t")))
    buffer = io.BytesIO()
    write_book(buffer, Book(spec, plain_columns(spec), []), iter([[-12, "-12"]]))
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Deals"]
    assert (ws["A2"].value, ws["A2"].data_type) == (-12, "n")
    assert ws["B2"].value == "'-12"
