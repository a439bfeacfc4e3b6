"""The writers on their own: per-column conversion, escaping within blocks, money formats by column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from programs.dates import PreciseDate
from programs.io.export.books import plain_columns
from programs.io.export.rows import Column, ExportSpec, Kind
from programs.io.export.workbook import Book, write_book
from programs.io.export.writers import csv_stream

SPEC = ExportSpec("deals", (
    Column("name", kind=Kind.TEXT), Column("on", kind=Kind.DATE),
    Column("amount", kind=Kind.MONEY, currency_from="cur"), Column("cur", kind=Kind.TEXT),
    Column("usd", kind=Kind.MONEY, currency="USD"), Column("any"),
))
ROWS = [
    ["Plain", PreciseDate(dt.date(2026, 4, 1), "quarter"), Decimal("12.500"), "EUR", Decimal("13.75"), None],
    ["=HYPERLINK(1)", PreciseDate(dt.date(2025, 3, 14), "day"), None, "", None, Decimal("-2")],
    [None, None, Decimal("0.000"), "CNY", Decimal("98"), dt.date(2024, 1, 2)],
    [7, dt.date(2023, 5, 6), Decimal("700"), "CNY", None, "@x"],
]


def _csv(lines_per_yield: int) -> tuple[list[list[str]], int, int]:
    counter = [0]
    blocks = list(csv_stream(SPEC, [list(r) for r in ROWS], counter, lines_per_yield=lines_per_yield))
    return list(csv.reader(io.StringIO("".join(blocks)))), counter[0], len(blocks)


def test_it_converts_each_column_by_its_kind_and_escapes_only_hostile_text() -> None:
    rows, count, _ = _csv(1000)
    assert rows[0] == SPEC.headers
    assert rows[1:] == [
        ["Plain", "2026-Q2", "12.5", "EUR", "13.75", ""],
        ["'=HYPERLINK(1)", "2025-03-14", "", "", "", "-2"],
        ["", "", "0", "CNY", "98", "2024-01-02"],
        ["7", "2023-05-06", "700", "CNY", "", "'@x"],
    ]
    assert count == 4


def test_it_writes_the_same_text_whatever_the_block_size() -> None:
    one_block, count, n_blocks = _csv(1000)
    small_blocks, small_count, n_small = _csv(1)
    assert small_blocks == one_block and small_count == count == 4
    assert (n_blocks, n_small) == (2, 5)  # the header first, then one block per 1000 / per 1 rows


def test_it_refuses_rows_of_the_wrong_width() -> None:
    with pytest.raises(ValueError):
        list(csv_stream(SPEC, [["too", "short"]], [0]))
    with pytest.raises(ValueError):
        write_book(io.BytesIO(), Book(SPEC, plain_columns(SPEC), []), [["too", "short"]])


def test_it_types_xlsx_cells_by_column_with_the_currency_of_the_row() -> None:
    buffer = io.BytesIO()
    assert write_book(buffer, Book(SPEC, plain_columns(SPEC), [("Filters", "=evil")]), [list(r) for r in ROWS]) == 4
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb["Deals"]
    assert ws["A2"].value == "Plain" and ws["A3"].value == "'=HYPERLINK(1)" and ws["A4"].value is None
    assert ws["A5"].value == 7 and ws["A5"].data_type == "n"
    # every precision is a date cell: the quarter shows as "Q2 2026" through its number format
    assert ws["B2"].is_date and ws["B2"].value.date() == dt.date(2026, 4, 1) and ws["B2"].number_format == '"Q2 "yyyy'
    assert ws["B3"].is_date and ws["B3"].number_format == "yyyy-mm-dd" and ws["B5"].is_date
    assert (ws["C2"].value, ws["C2"].data_type) == (12.5, "n") and "EUR" in ws["C2"].number_format
    assert ws["C4"].value == 0 and "CNY" in ws["C4"].number_format
    assert ws["E2"].value == 13.75 and "USD" in ws["E2"].number_format
    assert ws["C3"].value == "undisclosed" and ws["E5"].value == "undisclosed"  # an unknown amount is never 0
    assert (ws["F3"].value, ws["F3"].data_type) == (-2, "n") and ws["F4"].is_date and ws["F5"].value == "'@x"
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert about["Filters"] == "'=evil" and about["Rows"] == 4
