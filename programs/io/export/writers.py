"""Writers: typed export rows to streamed CSV text or a write-only XLSX workbook.

Every text cell that a spreadsheet could read as a formula (first character ``=``, ``+``, ``-``,
``@``, tab or carriage return) is prefixed with ``'`` (``escape``); numbers are never touched, so a
negative number stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from programs.dates import PreciseDate
from programs.io.export.rows import Cell, ExportSpec, Money
from programs.vocab import DatePrecision

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape(value: str) -> str:
    """Defuse formula injection: text starting like a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _decimal_text(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def csv_text(value: Cell) -> str | int:
    """One cell in the import's text format."""
    if value is None:
        return ""
    if isinstance(value, PreciseDate):
        return value.iso()
    if isinstance(value, Money):
        return _decimal_text(value.amount)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return escape(str(value))


class _Echo:
    """A file-like whose ``write`` returns the line: csv.writer then yields text without buffering."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    spec: ExportSpec, rows: Iterable[list[Cell]], counter: list[int], lines_per_yield: int = 500
) -> Iterator[str]:
    """Header then rows as CSV text, yielded in blocks; ``counter[0]`` counts the rows written."""
    writer = csv.writer(_Echo())
    yield writer.writerow(spec.headers)
    block: list[str] = []
    for row in rows:
        block.append(writer.writerow([csv_text(v) for v in row]))
        counter[0] += 1
        if len(block) >= lines_per_yield:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


# --- XLSX ---------------------------------------------------------------------------------------

_MONEY_FORMATS: dict[str, str] = {}


def money_format(currency: str) -> str:
    """A number format showing millions of a currency, e.g. ``#,##0.0## "M USD"``."""
    if currency not in _MONEY_FORMATS:
        _MONEY_FORMATS[currency] = f'#,##0.0##" M {currency}"'
    return _MONEY_FORMATS[currency]


DATE_FORMAT = "yyyy-mm-dd"


def write_xlsx(
    target: str | IO[bytes], spec: ExportSpec, rows: Iterable[list[Cell]], about: list[tuple[str, str]],
) -> int:
    """Write the workbook (sheet ``spec.table`` then sheet "About"); returns the data rows written.

    Write-only mode: rows go to a temporary file as they come, so memory does not grow with the row
    count. Widths, the frozen header and the bold font are set before the first row (a write-only
    sheet writes its head first); the auto-filter range is set at the end, when the size is known.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(spec.table.capitalize())
    about_ws = wb.create_sheet("About")
    for i, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in spec.headers:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        ws.append([_xlsx_cell(ws, v) for v in row])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{count + 1}"

    about_ws.column_dimensions["A"].width = 22
    about_ws.column_dimensions["B"].width = 100
    title_cell = WriteOnlyCell(about_ws, value=f"adctrack export: {spec.table}")
    title_cell.font = bold
    about_ws.append([title_cell])
    for key, value in about:
        about_ws.append([key, escape(value)])
    about_ws.append(["Rows", count])
    about_ws.append([])
    heading = WriteOnlyCell(about_ws, value="Sources cited")
    heading.font = bold
    about_ws.append([heading])
    for url, title in sorted(spec.sources.items(), key=lambda kv: (kv[1] or kv[0]).lower()):
        about_ws.append([escape(title or url), escape(url)])
    wb.save(target)
    return count


def _xlsx_cell(ws: Any, value: Cell) -> Any:
    if value is None:
        return None
    if isinstance(value, Money):
        cell = WriteOnlyCell(ws, value=value.amount)
        cell.number_format = money_format(value.currency)
        return cell
    if isinstance(value, PreciseDate):
        if value.date is not None and value.precision == DatePrecision.DAY:
            cell = WriteOnlyCell(ws, value=value.date)
            cell.number_format = DATE_FORMAT
            return cell
        return value.iso()
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return escape(value)
    return value
