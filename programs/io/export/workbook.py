"""The XLSX workbook a BD person keeps: labelled columns, typed dates and money, Terms, Sources, About.

Sheets, in order: the data ("Deals" / "Assets": the chosen ``BookColumn``s, frozen bold header,
auto-filter), "Terms" (deals only: every terms row of the exported deals, the disputed ones
marked), "Sources" (every source the rows cite) and "About" (the filters, the columns, who and when).

Every date is an Excel date (the first day of its period) with a number format that shows its
precision: ``yyyy-mm-dd``, ``mmm yyyy``, ``"Q2 "yyyy``, ``"H1 "yyyy``, ``yyyy``; so a column of
mixed precisions sorts and filters as dates. Amounts are numbers of millions in a format naming
their currency; an unknown amount says "undisclosed", never 0, and an unknown date "not stated".
Text that a spreadsheet could read as a formula is escaped (``writers.escape``).

XlsxWriter in ``constant_memory`` mode: each row goes to a temporary file once the next one starts,
so memory does not grow with the row count (openpyxl's write-only mode kept memory flat too, but
cost about five times as much time per cell). This module writes; it does not query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from programs.dates import PreciseDate
from programs.io.export.books import BookColumn, getters
from programs.io.export.rows import Cell, Column, ExportSpec, Kind
from programs.io.export.writers import FORMULA_FIRST, escape
from programs.vocab import DatePrecision

UNDISCLOSED = "undisclosed"
NOT_STATED = "not stated"
# XlsxWriter refuses more hyperlinks than this on one worksheet (Excel's limit); later URLs are text.
MAX_URLS = 65530
_MAX_WIDTH = 60


def money_format(currency: str) -> str:
    """A number format showing millions of a currency, e.g. ``#,##0.0##" M USD"``."""
    return f'#,##0.0##" M {currency}"'


def date_format(precision: str, month: int) -> str:
    """The number format showing a period's first day at the period's precision."""
    if precision == DatePrecision.MONTH:
        return "mmm yyyy"
    if precision == DatePrecision.QUARTER:
        return f'"Q{(month - 1) // 3 + 1} "yyyy'
    if precision == DatePrecision.HALF:
        return f'"H{1 if month <= 6 else 2} "yyyy'
    if precision == DatePrecision.YEAR:
        return "yyyy"
    return "yyyy-mm-dd"


Put = Callable[[int, int, Any], object]


class Cells:
    """Cell writers for one worksheet, one per column, sharing the workbook's formats.

    ``row`` is the export row being written: a money column whose currency is another column's cell
    reads it from there, chosen for the workbook or not.
    """

    def __init__(self, wb: xlsxwriter.Workbook, ws: Worksheet, spec: ExportSpec) -> None:
        self.wb, self.ws, self.spec = wb, ws, spec
        self.formats: dict[str, Format] = {}
        # XlsxWriter's undecorated writers (what write_string & co. call after converting "A1"
        # notation, which our integer row/column never need): a tenth of a large workbook's time.
        self.string, self.number, self.datetime = ws._write_string, ws._write_number, ws._write_datetime
        self.row: list[Cell] = []

    def fmt(self, num_format: str) -> Format:
        fmt = self.formats.get(num_format)
        if fmt is None:
            fmt = self.formats[num_format] = self.wb.add_format({"num_format": num_format})
        return fmt

    def for_column(self, column: Column) -> Put:
        if column.kind is Kind.MONEY:
            if column.currency_from:
                return self._money_from(self.spec.headers.index(column.currency_from))
            if column.currency:
                return self._money_in(self.fmt(money_format(column.currency)))
            return self.put_number
        return {Kind.TEXT: self.put_text, Kind.DATE: self.put_date,
                Kind.NUMBER: self.put_number}.get(column.kind, self.put_any)

    def _money_in(self, fmt: Format) -> Put:
        def put(r: int, c: int, v: Any) -> None:
            if v.__class__ is Decimal:
                self.number(r, c, v, fmt)
            elif v is None:
                self.string(r, c, UNDISCLOSED)
            else:
                self.put_any(r, c, v)
        return put

    def _money_from(self, index: int) -> Put:
        def put(r: int, c: int, v: Any) -> None:
            currency = self.row[index]
            if v.__class__ is Decimal and currency:
                self.number(r, c, v, self.fmt(money_format(currency)))
            elif v is None:
                self.string(r, c, UNDISCLOSED)
            else:
                self.put_any(r, c, v)
        return put

    def put_text(self, r: int, c: int, v: Any) -> None:
        if v.__class__ is str:
            if v:
                self.string(r, c, "'" + v if v[:1] in FORMULA_FIRST else v)
        else:
            self.put_any(r, c, v)

    def put_number(self, r: int, c: int, v: Any) -> None:
        if v.__class__ is Decimal or v.__class__ is int:
            self.number(r, c, v)
        else:
            self.put_any(r, c, v)

    def put_date(self, r: int, c: int, v: Any) -> None:
        if v.__class__ is PreciseDate:
            if v.date is not None:
                self.datetime(r, c, v.date, self.fmt(date_format(v.precision, v.date.month)))
            else:  # as the pages say it: an empty cell would read as "no event"
                self.string(r, c, NOT_STATED)
        elif v.__class__ is dt.date:
            self.datetime(r, c, v, self.fmt(date_format(DatePrecision.DAY, 1)))
        else:
            self.put_any(r, c, v)

    def put_any(self, r: int, c: int, v: Any) -> None:
        if v is None:
            return
        if isinstance(v, PreciseDate | dt.date):
            self.put_date(r, c, v)
        elif isinstance(v, bool):
            self.ws.write_boolean(r, c, v)
        elif isinstance(v, int | float | Decimal):
            self.number(r, c, v)
        elif text := escape(str(v)):
            self.string(r, c, text)


def _width(column: Column, label: str) -> int:
    return min(max(column.width, len(label) + 2), _MAX_WIDTH)


def _header(ws: Worksheet, bold: Format, labels: list[tuple[str, int]]) -> None:
    for i, (label, width) in enumerate(labels):
        ws.set_column(i, i, width)
        ws.write_string(0, i, label, bold)
    ws.freeze_panes(1, 0)


@dataclass(frozen=True, slots=True)
class Book:
    """What one workbook holds besides its rows: which columns, the About lines, and for deals the
    Terms sheet's rows (see ``rows.deal_terms_rows``) as a callable run after the data rows."""

    spec: ExportSpec
    columns: tuple[BookColumn, ...]
    about: list[tuple[str, str]]
    terms: Callable[[], Iterable[list[Cell]]] | None = None


TERMS_COLUMNS = (
    Column("Deal", 40, Kind.TEXT), Column("Announced", 11, Kind.DATE), Column("Page", 12, Kind.TEXT),
    Column("Standing", 12, Kind.TEXT), Column("Disputed", 10, Kind.TEXT), Column("currency", 9, Kind.TEXT),
    Column("Upfront", 14, Kind.MONEY, currency_from="currency"),
    Column("Near-term", 14, Kind.MONEY, currency_from="currency"),
    Column("Milestones", 14, Kind.MONEY, currency_from="currency"),
    Column("Total value", 14, Kind.MONEY, currency_from="currency"),
    Column("Equity", 12, Kind.MONEY, currency_from="currency"), Column("USD per unit", 12, Kind.NUMBER),
    Column("Total value (M USD)", 16, Kind.MONEY, currency="USD"), Column("Royalty terms", 30, Kind.TEXT),
    Column("Note", 30, Kind.TEXT), Column("Source", 36, Kind.TEXT), Column("Source URL", 40, Kind.TEXT),
)


def write_book(target: str | IO[bytes], book: Book, rows: Iterable[list[Cell]]) -> int:
    """Write the workbook; returns the data rows written."""
    spec = book.spec
    with xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_urls": False}) as wb:
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet(spec.table.capitalize())
        chosen = getters(spec, book.columns)
        _header(ws, bold, [(b.label, _width(c, b.label)) for b, c, _ in chosen])
        cells = Cells(wb, ws, spec)
        plan = [(cells.for_column(c), get, c.kind is Kind.MONEY) for _, c, get in chosen]
        r, width = 0, len(spec.columns)
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a row has {len(row)} cells, the export has {width} columns")
            r += 1
            cells.row = row
            c = 0
            for put, get, money in plan:
                value = get(row)
                if value is not None or money:
                    put(r, c, value)
                c += 1
        ws.autofilter(0, 0, r, len(chosen) - 1)
        terms = 0
        if book.terms is not None:
            terms = _write_terms(wb, bold, book.terms())
        _write_sources(wb.add_worksheet("Sources"), bold, spec.sources)
        _write_about(wb.add_worksheet("About"), bold, book, r, terms)
    return r


def _write_terms(wb: xlsxwriter.Workbook, bold: Format, rows: Iterable[list[Cell]]) -> int:
    ws = wb.add_worksheet("Terms")
    spec = ExportSpec("terms", TERMS_COLUMNS)
    _header(ws, bold, [("Currency" if c.header == "currency" else c.header, c.width) for c in TERMS_COLUMNS])
    cells = Cells(wb, ws, spec)
    puts = [cells.for_column(c) for c in TERMS_COLUMNS]
    r = 0
    for row in rows:
        r += 1
        cells.row = row
        for c, (put, value) in enumerate(zip(puts, row, strict=True)):
            if value is not None or TERMS_COLUMNS[c].kind is Kind.MONEY:
                put(r, c, value)
    ws.autofilter(0, 0, r, len(TERMS_COLUMNS) - 1)
    return r


def _write_sources(ws: Worksheet, bold: Format, sources: dict[str, str]) -> None:
    _header(ws, bold, [("Source", 60), ("URL", 80)])
    r = 0
    for url, title in sorted(sources.items(), key=lambda kv: (kv[1] or kv[0]).lower()):
        r += 1
        ws.write_string(r, 0, escape(title or url))
        if url.startswith(("http://", "https://")) and r <= MAX_URLS and len(url) <= 2079:
            ws.write_url(r, 1, url, string=escape(url))
        elif url:
            ws.write_string(r, 1, escape(url))
    ws.autofilter(0, 0, max(r, 1), 1)


def _write_about(ws: Worksheet, bold: Format, book: Book, count: int, terms: int) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, f"adctrack export: {book.spec.table}", bold)
    lines = [*book.about, ("Columns", "; ".join(c.label for c in book.columns))]
    r = 0
    for key, value in lines:
        r += 1
        ws.write_string(r, 0, key)
        if text := escape(value):
            ws.write_string(r, 1, text)
    r += 1
    ws.write_string(r, 0, "Rows")
    ws.write_number(r, 1, count)
    if book.terms is not None:
        r += 1
        ws.write_string(r, 0, "Terms rows")
        ws.write_number(r, 1, terms)
    r += 1
    ws.write_string(r, 0, "Sources")
    ws.write_number(r, 1, len(book.spec.sources))
