"""The BD workbook's columns: what each export column is called in a workbook, and which ones a file has.

The CSV is the round-trip format: machine headers (``announced``, ``upfront_usd``), codes, one
column per import field. A workbook is what a BD person keeps: the page's column labels in the
page's order, labels instead of codes, and only the page's columns unless ``columns=`` asks for
more. Both are views of the same rows (``programs.io.export.rows``): a ``BookColumn`` names the
row cell it reads by its CSV header, so ``columns=`` takes the same names for both formats and the
workbook needs no query of its own.

This module only chooses and relabels columns; it does not query or write files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from programs.io.columns import LIST_SEPARATOR
from programs.io.export.rows import Column, ExportSpec
from programs.vocab import (
    AntibodyFormat,
    AssetStatus,
    ConjugationMethod,
    DarKind,
    DealKind,
    DealStatus,
    FcEngineering,
    LinkerType,
    PayloadClass,
    Phase,
    choice_labels,
)

# ``columns=`` values that are not column names.
ALL, PAGE = "all", "page"
#: The parameter naming the columns: kept in an export's query (the background build reads it) but
#: not a filter.
COLUMNS = "columns"
#: Parameters of a list that belong to the page, not to its filters.
NOT_FILTERS = frozenset({"format", "page", "per_page"})


_YES_NO = {"true": "Yes", "false": "No"}


@dataclass(frozen=True, slots=True)
class BookColumn:
    """One column a workbook can have: ``key`` is the export row's column (its CSV header) and the
    ``columns=`` name; ``label`` the header the page shows; ``labels`` turns a code into its label
    (each ``;``-separated part of a list cell); ``on_page`` puts it in the default workbook."""

    key: str
    label: str
    on_page: bool = False
    labels: Mapping[str, str] | None = None
    join: str = ""  # a list cell (parts separated by ";"): how the workbook shows its parts


class UnknownColumns(ValueError):
    """``columns=`` named a column the table does not have."""

    def __init__(self, unknown: list[str], known: Iterable[str]) -> None:
        self.unknown = unknown
        super().__init__(
            f"Unknown column(s): {', '.join(unknown)}. Use 'page', 'all' or any of: {', '.join(known)}."
        )


DEAL_BOOK: tuple[BookColumn, ...] = (
    # the deal list's columns, in its order (programs.tables.deals.DealTable)
    BookColumn("announced", "Announced", True),
    BookColumn("title", "Deal", True),
    BookColumn("kind", "Kind", True, choice_labels(DealKind)),
    BookColumn("parties", "Parties", True),
    BookColumn("assets", "Assets", True, join=", "),
    BookColumn("territory", "Territory", True),
    BookColumn("value_usd", "Value (M USD)", True),
    BookColumn("status", "Status", True, choice_labels(DealStatus)),
    # the rest, for columns=
    BookColumn("licensor", "Licensor", join="; "),
    BookColumn("licensee", "Licensee", join="; "),
    BookColumn("other_parties", "Other parties (company:role)", join="; "),
    BookColumn("asset_targets", "Asset targets"),
    BookColumn("targets", "Targets", join="; "),
    BookColumn("platform", "Platform"),
    BookColumn("currency", "Currency"),
    BookColumn("upfront", "Upfront (M, deal currency)"),
    BookColumn("near_term", "Near-term (M, deal currency)"),
    BookColumn("milestones", "Milestones (M, deal currency)"),
    BookColumn("total_value", "Total value (M, deal currency)"),
    BookColumn("equity", "Equity (M, deal currency)"),
    BookColumn("upfront_usd", "Upfront (M USD)"),
    BookColumn("milestones_usd", "Milestones (M USD)"),
    BookColumn("total_value_usd", "Total value (M USD)"),
    BookColumn("usd_per_unit", "USD per unit of currency"),
    BookColumn("other_terms", "Other reported terms"),
    BookColumn("terms_source_url", "Terms source URL"),
    BookColumn("source_title", "Source"),
    BookColumn("source_url", "Source URL"),
    BookColumn("deal_path", "Page"),
)

ASSET_BOOK: tuple[BookColumn, ...] = (
    # the asset list's columns, in its order (programs.tables.assets.AssetTable)
    BookColumn("code", "Code", True),
    BookColumn("inn", "INN", True),
    BookColumn("targets", "Targets", True, join=" × "),
    BookColumn("originator", "Originator", True),
    BookColumn("antibody_format", "Format", True, choice_labels(AntibodyFormat)),
    BookColumn("conjugation_method", "Conjugation", True, choice_labels(ConjugationMethod)),
    BookColumn("payload_class", "Payload class", True, choice_labels(PayloadClass), "; "),
    BookColumn("highest_phase", "Highest phase", True, choice_labels(Phase)),
    BookColumn("latest_event", "Latest event", True),
    BookColumn("latest_event_date", "Date", True),
    # the rest, for columns=
    BookColumn("brand", "Brand", join="; "),
    BookColumn("aliases", "Other names", join="; "),
    BookColumn("target_pair", "Target pair"),
    BookColumn("current_phase", "Current phase", labels=choice_labels(Phase)),
    BookColumn("status", "Status", labels=choice_labels(AssetStatus)),
    BookColumn("indications", "Indications", join="; "),
    BookColumn("fc_engineering", "Fc engineering", labels=choice_labels(FcEngineering)),
    BookColumn("conjugation_technology", "Conjugation technology"),
    BookColumn("dar", "DAR"),
    BookColumn("dar_kind", "DAR kind", labels=choice_labels(DarKind)),
    BookColumn("linker", "Linker chemistry"),
    BookColumn("linker_type", "Linker type", labels=choice_labels(LinkerType)),
    BookColumn("linker_cleavable", "Cleavable linker", labels=_YES_NO),
    BookColumn("linker_payload", "Linker-payload"),
    BookColumn("payloads", "Payloads", join="; "),
    BookColumn("masked", "Masked", labels=_YES_NO),
    BookColumn("masking_platform", "Masking platform"),
    BookColumn("first_dosed_on", "First dosed"),
    BookColumn("ind_to_dosing_days", "IND to first dosing (days)"),
    BookColumn("source_titles", "Sources"),
    BookColumn("source_url", "Source URLs", join="; "),
    BookColumn("asset_path", "Page"),
)

BOOKS: dict[str, tuple[BookColumn, ...]] = {"deals": DEAL_BOOK, "assets": ASSET_BOOK}


@dataclass(frozen=True, slots=True)
class Chooser:
    """The column chooser under a list: a GET form to the export URL that carries the list's filters
    (``hidden``) and a box per workbook column, the page's ticked
    (``templates/jinja2/programs/_export_chooser.html``)."""

    url: str
    hidden: list[tuple[str, str]]
    columns: tuple[BookColumn, ...]


def chooser(table: str, url: str, query: QueryDict) -> Chooser:
    """The chooser for a list showing ``query``: its filters and sort go with the export."""
    hidden = [(key, value) for key, values in query.lists() if key not in NOT_FILTERS and key != COLUMNS
              for value in values if value != ""]
    return Chooser(url, hidden, BOOKS[table])


def plain_columns(spec: ExportSpec) -> tuple[BookColumn, ...]:
    """Every export column under its CSV header, unlabelled (a workbook of the raw export)."""
    return tuple(BookColumn(c.header, c.header) for c in spec.columns)


def requested(raw: Iterable[str]) -> list[str]:
    """``columns=`` values (repeated or comma-separated) as a list of names, blanks dropped."""
    return [name.strip() for value in raw for name in value.split(",") if name.strip()]


def choose_book(table: str, names: list[str]) -> tuple[BookColumn, ...]:
    """The workbook's columns for ``columns=`` (in the book's order: the page's first).

    No names or ``page``: the page's columns; ``all``: every column; other names add to nothing
    (only those columns). Raises ``UnknownColumns`` for a name the table does not have.
    """
    book = BOOKS[table]
    if not names or names == [PAGE]:
        return tuple(c for c in book if c.on_page)
    if ALL in names:
        return book
    wanted = set(names)
    page = PAGE in wanted
    unknown = sorted(wanted - {c.key for c in book} - {PAGE})
    if unknown:
        raise UnknownColumns(unknown, [c.key for c in book])
    return tuple(c for c in book if c.key in wanted or (page and c.on_page))


def choose_csv(spec: ExportSpec, table: str, names: list[str]) -> ExportSpec:
    """The CSV's columns for ``columns=``: every column when none are named (the round-trip file),
    else the named ones, in the CSV's own order, under their machine headers."""
    if not names or ALL in names:
        return spec
    keys = {c.key for c in choose_book(table, names)}
    return ExportSpec(spec.table, tuple(c for c in spec.columns if c.header in keys), spec.sources)


Getter = Callable[[list[Any]], Any]


def _labelled(index: int, labels: Mapping[str, str], join: str) -> Getter:
    def get(row: list[Any]) -> Any:
        value = row[index]
        if not value or value.__class__ is not str:
            return value
        if join and LIST_SEPARATOR in value:
            return join.join(labels.get(part, part) for part in value.split(LIST_SEPARATOR))
        return labels.get(value, value)
    return get


def _joined(index: int, join: str) -> Getter:
    def get(row: list[Any]) -> Any:
        value = row[index]
        return join.join(value.split(LIST_SEPARATOR)) if value.__class__ is str and LIST_SEPARATOR in value else value
    return get


def getters(spec: ExportSpec, columns: tuple[BookColumn, ...]) -> list[tuple[BookColumn, Column, Getter]]:
    """For each workbook column: its export column (kind, width, currency) and how to read its cell."""
    index = {c.header: i for i, c in enumerate(spec.columns)}
    out = []
    for book_column in columns:
        i = index[book_column.key]
        column = spec.columns[i]
        if book_column.labels:
            get = _labelled(i, book_column.labels, book_column.join)
        elif book_column.join:
            get = _joined(i, book_column.join)
        else:
            get = _item(i)
        out.append((book_column, column, get))
    return out


def _item(i: int) -> Getter:
    def get(row: list[Any]) -> Any:
        return row[i]
    return get
