"""The CSV writer: typed export rows to streamed CSV text (the workbook is ``workbook.py``).

Every text cell that a spreadsheet could read as a formula (first character ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with ``'`` (``escape``); numbers are never touched, so a
negative number stays a number.

Both writers choose one converter per column from its ``Kind`` before the first row; a converter
handles the column's own type (and None) directly and hands anything else to the generic path
(``csv_text`` here, ``Cells.put_any`` in the workbook), so a wrong kind costs speed, never correctness.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from operator import itemgetter
from typing import Any

from programs.dates import PreciseDate
from programs.io.export.rows import Cell, ExportSpec, Kind, chunked

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Membership of the first character (``s[:1]``, "" for an empty string) in a set is the cheapest test.
FORMULA_FIRST = frozenset(FORMULA_STARTS)


def escape(value: str) -> str:
    """Defuse formula injection: text starting like a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in FORMULA_FIRST else value


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
        return "'" + value if value[:1] in FORMULA_FIRST else value
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
                if FORMULA_FIRST.isdisjoint(map(_first_char, columns[i])):
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
