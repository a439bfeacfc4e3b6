"""Writers: typed export rows to streamed CSV text or an XLSX workbook written in constant memory.

Every text cell that a spreadsheet could read as a formula (first character ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with ``'`` (``escape``); numbers are never touched, so a
negative number stays a number.

Both writers choose one converter per column from its ``Kind`` before the first row; a converter
handles the column's own type (and None) directly and hands anything else to the generic path
(``csv_text`` / ``_Cells.put_any``), so a wrong kind costs speed, never correctness.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from operator import itemgetter
from typing import IO, Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from programs.dates import PreciseDate
from programs.io.export.rows import Cell, Column, ExportSpec, Kind, chunked
from programs.vocab import DatePrecision

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Membership of the first character (``s[:1]``, "" for an empty string) in a set is the cheapest test.
_FORMULA_FIRST = frozenset(FORMULA_STARTS)
_DAY = DatePrecision.DAY.value


def escape(value: str) -> str:
    """Defuse formula injection: text starting like a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in _FORMULA_FIRST else value


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def csv_text(value: Cell) -> str | int:
    """One cell in the import's text format (whatever its type)."""
    if value is None:
        return ""
    if isinstance(value, PreciseDate):
        return value.iso()
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape(str(value))


def _csv_textcell(value: Cell) -> str | int:
    if value.__class__ is str:
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    return csv_text(value)


def _csv_date(value: Cell) -> str | int:
    return value.iso() if value.__class__ is PreciseDate else csv_text(value)


def _csv_number(value: Cell) -> str | int:
    if value.__class__ is Decimal:  # _decimal_text inlined: eight amounts per deal row
        text = format(value, "f")
        return (text.rstrip("0").rstrip(".") or "0") if "." in text else text
    return csv_text(value)


# A money cell is a plain number in CSV (its currency is in the row or in the header).
_CSV_BY_KIND: dict[Kind, Callable[[Cell], str | int]] = {
    Kind.AUTO: csv_text, Kind.TEXT: _csv_textcell, Kind.DATE: _csv_date, Kind.MONEY: _csv_number,
    Kind.NUMBER: _csv_number,
}


def csv_stream(
    spec: ExportSpec, rows: Iterable[list[Cell]], counter: list[int], lines_per_yield: int = 1000
) -> Iterator[str]:
    """Header then rows as CSV text, yielded in blocks; ``counter[0]`` counts the rows written.

    Each block is converted column by column (``_csv_columns``) and written with one ``writerows``
    call (the csv module's C loop), not one Python-level ``writerow`` per row.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(spec.headers)
    yield _drain(buffer)
    converters = [_CSV_BY_KIND[c.kind] for c in spec.columns]
    for block in chunked(rows, lines_per_yield):
        writer.writerows(_csv_columns(block, converters))
        counter[0] += len(block)
        yield _drain(buffer)


_first_char = itemgetter(slice(0, 1))


def _csv_columns(block: list[list[Cell]], converters: list[Callable[[Cell], str | int]]) -> Iterator[tuple[Any, ...]]:
    """A block of rows as CSV cells, converted per column: transpose, convert, transpose back.

    Text columns, most of the cells, cost one C-level pass each: if no cell of the column starts
    like a formula (the usual case), the column goes out as it is; otherwise (or if it holds
    something else than text) each of its cells goes through the escaping converter.
    """
    columns: list[Any] = list(zip(*block, strict=True))
    if len(columns) != len(converters):
        raise ValueError(f"rows have {len(columns)} cells, the export has {len(converters)} columns")
    for i, convert in enumerate(converters):
        if convert is _csv_textcell:
            try:
                if _FORMULA_FIRST.isdisjoint(map(_first_char, columns[i])):
                    continue
            except TypeError:  # a cell that is not a str (None, a number): convert cell by cell
                pass
        columns[i] = map(convert, columns[i])
    return zip(*columns, strict=True)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


# --- XLSX ---------------------------------------------------------------------------------------


def money_format(currency: str) -> str:
    """A number format showing millions of a currency, e.g. ``#,##0.0##" M USD"``."""
    return f'#,##0.0##" M {currency}"'


DATE_FORMAT = "yyyy-mm-dd"
Put = Callable[[int, int, Any], object]


class _Cells:
    """Cell writers for one worksheet, one per column, sharing the workbook's formats.

    ``row`` is the row being written: a money column whose currency is another column's cell
    reads it from there.
    """

    def __init__(self, wb: xlsxwriter.Workbook, ws: Worksheet) -> None:
        self.wb, self.ws = wb, ws
        self.date = wb.add_format({"num_format": DATE_FORMAT})
        self.money_formats: dict[str, Format] = {}
        self.string, self.number, self.datetime = ws.write_string, ws.write_number, ws.write_datetime
        self.row: list[Cell] = []

    def money(self, currency: str) -> Format:
        fmt = self.money_formats.get(currency)
        if fmt is None:
            fmt = self.money_formats[currency] = self.wb.add_format({"num_format": money_format(currency)})
        return fmt

    def for_column(self, column: Column, spec: ExportSpec) -> Put:
        if column.kind is Kind.MONEY:
            if column.currency_from:
                return self._money_from(spec.headers.index(column.currency_from))
            if column.currency:
                return self._money_in(self.money(column.currency))
            return self.put_number
        return {Kind.TEXT: self.put_text, Kind.DATE: self.put_date,
                Kind.NUMBER: self.put_number}.get(column.kind, self.put_any)

    def _money_in(self, fmt: Format) -> Put:
        def put(r: int, c: int, v: Any) -> None:
            if v.__class__ is Decimal:
                self.number(r, c, v, fmt)
            else:
                self.put_any(r, c, v)
        return put

    def _money_from(self, index: int) -> Put:
        def put(r: int, c: int, v: Any) -> None:
            currency = self.row[index]
            if v.__class__ is Decimal and currency:
                self.number(r, c, v, self.money(currency))
            else:
                self.put_any(r, c, v)
        return put

    def put_text(self, r: int, c: int, v: Any) -> None:
        if v.__class__ is str:
            if v:
                self.string(r, c, "'" + v if v[:1] in _FORMULA_FIRST else v)
        else:
            self.put_any(r, c, v)

    def put_number(self, r: int, c: int, v: Any) -> None:
        if v.__class__ is Decimal or v.__class__ is int:
            self.number(r, c, v)
        else:
            self.put_any(r, c, v)

    def put_date(self, r: int, c: int, v: Any) -> None:
        if v.__class__ is PreciseDate:
            if v.date is not None and v.precision == _DAY:
                self.datetime(r, c, v.date, self.date)  # a day is a date cell; coarser dates stay text
            elif text := v.iso():
                self.string(r, c, text)
        else:
            self.put_any(r, c, v)

    def put_any(self, r: int, c: int, v: Any) -> None:
        if v is None:
            return
        if isinstance(v, PreciseDate):
            self.put_date(r, c, v)
        elif isinstance(v, bool):
            self.ws.write_boolean(r, c, v)
        elif isinstance(v, int | float | Decimal):
            self.number(r, c, v)
        elif isinstance(v, dt.date):
            self.datetime(r, c, v, self.date)
        elif text := escape(str(v)):
            self.string(r, c, text)


def write_xlsx(
    target: str | IO[bytes], spec: ExportSpec, rows: Iterable[list[Cell]], about: list[tuple[str, str]],
) -> int:
    """Write the workbook (sheet ``spec.table`` then sheet "About"); returns the data rows written.

    XlsxWriter in ``constant_memory`` mode: each row goes to a temporary file once the next one
    starts, so memory does not grow with the row count (openpyxl's write-only mode kept memory
    flat too, but cost about five times as much time per cell). Widths, the frozen header and the
    auto-filter are written when the workbook closes, so the filter range can be set at the end.
    """
    with xlsxwriter.Workbook(target, {"constant_memory": True}) as wb:
        ws = wb.add_worksheet(spec.table.capitalize())
        about_ws = wb.add_worksheet("About")  # created now so it is the second sheet; filled at the end
        bold = wb.add_format({"bold": True})
        for i, column in enumerate(spec.columns):
            ws.set_column(i, i, column.width)
            ws.write_string(0, i, column.header, bold)
        ws.freeze_panes(1, 0)
        cells = _Cells(wb, ws)
        puts = [cells.for_column(c, spec) for c in spec.columns]
        r = 0
        for row in rows:
            r += 1
            cells.row = row
            c = 0
            for put, value in zip(puts, row, strict=True):
                if value is not None:
                    put(r, c, value)
                c += 1
        ws.autofilter(0, 0, r, len(spec.columns) - 1)
        _write_about(about_ws, bold, spec, about, r)
    return r


def _write_about(ws: Worksheet, bold: Format, spec: ExportSpec, about: list[tuple[str, str]], count: int) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 100)
    ws.write_string(0, 0, f"adctrack export: {spec.table}", bold)
    r = 1
    for key, value in about:
        ws.write_string(r, 0, key)
        if text := escape(value):
            ws.write_string(r, 1, text)
        r += 1
    ws.write_string(r, 0, "Rows")
    ws.write_number(r, 1, count)
    r += 2  # a blank row before the sources
    ws.write_string(r, 0, "Sources cited", bold)
    for url, title in sorted(spec.sources.items(), key=lambda kv: (kv[1] or kv[0]).lower()):
        r += 1
        ws.write_string(r, 0, escape(title or url))
        if url:
            ws.write_string(r, 1, escape(url))
