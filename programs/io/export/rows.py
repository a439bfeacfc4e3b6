"""Rows of the deal and asset exports: the import columns first, then readable joined columns.

Rows are built per chunk of ``CHUNK`` main rows: the main query runs once as a streamed cursor
(``.values_list().iterator()``), and each chunk costs one query per related table (parties, assets
with their targets, terms, ...) filtered by the chunk's ids. Memory stays flat whatever the row count.

Cell values keep their types (``Decimal``, ``date``, ``PreciseDate``); the writers turn them into CSV
text or typed XLSX cells. A money cell is a plain ``Decimal``: its column names its currency (fixed,
or the row's ``currency`` cell), so no wrapper object is built per amount.

Each column declares the ``Kind`` its cells have, so the writers pick one converter per column up
front instead of testing every cell's type: at 100,000 rows x 27 columns that per-cell dispatch was
a large share of an export's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

from django.db.models import BooleanField, Expression, F, FilteredRelation, Q, QuerySet

from milestones.models.milestones import milestone_label
from programs.dates import PreciseDate
from programs.io.columns import ASSET_COLUMNS, DEAL_COLUMNS, LIST_SEPARATOR
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Deal, DealParty, DealTerms
from programs.text import normalize_name
from programs.vocab import DealRole, DesignationKind

# Rows per chunk: each chunk costs a few related queries (plus a FETCH of the main cursor); 5,000
# rows keep that to about 80 round trips for 100,000 deals and hold only a few MB at a time.
CHUNK = 5000
SEP = LIST_SEPARATOR
Cell = Any


class Kind(StrEnum):
    """What a column's cells hold (besides None): the writers choose their converter by it."""

    AUTO = "auto"  # anything: the writer tests each cell's type
    TEXT = "text"  # str
    DATE = "date"  # PreciseDate or date
    MONEY = "money"  # Decimal, millions of the column's currency
    NUMBER = "number"  # Decimal or int


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column. A MONEY column's currency is ``currency`` (a code such as "USD") or,
    with ``currency_from``, the code in the same row's cell of that column (a header)."""

    header: str
    width: int = 14
    kind: Kind = Kind.AUTO
    currency: str = ""
    currency_from: str = ""


@dataclass
class ExportSpec:
    """What one table exports: its columns and, for the About sheet, the sources its rows cite."""

    table: str
    columns: tuple[Column, ...]
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def chunked(iterable: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of up to ``size`` items of ``iterable``, read lazily."""
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


class IdIn(Expression):
    """``column IN (ids)`` as a filter, the ids sent as one array parameter on PostgreSQL.

    Django's ``column__in=ids`` prepares and validates every id in Python: at 5,000 ids per chunk
    and a few related tables that was a tenth of an export's time. ``= ANY(%s)`` costs nothing per
    id on our side; other databases get a plain ``IN (%s, ...)``.
    """

    output_field = BooleanField()

    def __init__(self, column: str, ids: Sequence[int]) -> None:
        super().__init__()
        self.column: Any = F(column)
        self.ids = list(ids)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        sql, params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            return f"{sql} = ANY(%s)", (*params, self.ids)
        if not self.ids:
            return "1 = 0", tuple(params)
        return f"{sql} IN ({', '.join(['%s'] * len(self.ids))})", (*params, *self.ids)


def _join(values: Iterable[str]) -> str:
    return SEP.join(v for v in values if v)


_MILLI = Decimal("0.001")


def _usd_total(total: Decimal | None, upfront: Decimal | None, rate: Decimal) -> Decimal | None:
    """The total value, else the upfront, in millions of USD (``DealTerms.usd_total``; the list's value)."""
    value = total if total is not None else upfront
    return None if value is None else (value * rate).quantize(_MILLI)


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


_key = itemgetter(0)


def _grouped(rows: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """``(key, ...)`` rows to ``{key: [row, ...]}``, in the rows' order (rows keep their key: no copying).

    ``groupby`` finds the runs of one key in C; every query here orders by its key first, so each
    key is one run (``extend`` keeps the result right even if it were not).
    """
    out: dict[int, list[tuple[Any, ...]]] = {}
    for key, run in groupby(rows, _key):
        out.setdefault(key, []).extend(run)
    return out


# --- deals --------------------------------------------------------------------------------------

T, D, M, N = Kind.TEXT, Kind.DATE, Kind.MONEY, Kind.NUMBER
_W = {"announced": 11, "licensor": 24, "licensee": 24, "other_parties": 30, "assets": 16, "kind": 14,
      "territory": 22, "currency": 9, "status": 11, "source_url": 40}
_DEAL_KINDS = {"announced": D, "upfront": M, "near_term": M, "milestones": M, "total_value": M}


def _local(header: str, width: int = 14) -> Column:
    """A money column in the currency of the row's ``currency`` cell."""
    return Column(header, width, M, currency_from="currency")


def _usd_column(header: str) -> Column:
    return Column(header, 14, M, currency="USD")


DEAL_EXTRA = (
    Column("title", 44, T), Column("parties", 50, T), Column("asset_targets", 30, T), Column("targets", 18, T),
    Column("platform", 20, T), _usd_column("upfront_usd"), _usd_column("milestones_usd"),
    _usd_column("total_value_usd"), _local("equity", 12), Column("usd_per_unit", 12, N),
    Column("terms_source_url", 40, T), Column("other_terms", 50, T), Column("source_title", 44, T),
    Column("deal_path", 14, T), _usd_column("value_usd"),
)
DEAL_SPEC_COLUMNS = tuple(
    _local(h) if _DEAL_KINDS.get(h) is M else Column(h, _W.get(h, 14), _DEAL_KINDS.get(h, T)) for h in DEAL_COLUMNS
) + DEAL_EXTRA
_ROLE_LABEL: dict[str, str] = {str(k): str(v) for k, v in DealRole.choices}
_LICENSOR, _LICENSEE = DealRole.LICENSOR.value, DealRole.LICENSEE.value
_MAIN_DEAL = ("pk", "title", "kind", "announced_on", "announced_precision", "territory", "status",
              "source__url", "source__title", "platform__name")
# The standing terms (at most one per deal: a unique constraint) ride on the main query as a LEFT JOIN,
# so the per-chunk terms query only fetches the figures that do not stand.
_STANDING = ("export_standing__currency", "export_standing__upfront", "export_standing__milestones",
             "export_standing__total_value", "export_standing__equity", "export_standing__usd_per_unit",
             "export_standing__source__url", "export_standing__source__title", "export_standing__near_term")
# Cells of a deal without parties / assets / standing terms.
_NO_PARTIES = ("", "", "", "")
_NO_ASSETS = ("", "", "")


def deal_spec() -> ExportSpec:
    return ExportSpec("deals", DEAL_SPEC_COLUMNS)


def deal_rows(qs: QuerySet[Deal], spec: ExportSpec, chunk_size: int | None = None) -> Iterator[list[Cell]]:
    """The deal export's rows in ``qs``'s order; three queries per chunk (parties, assets, other terms)."""
    chunk_size = chunk_size or CHUNK
    sources = spec.sources
    main = (
        qs.annotate(export_standing=FilteredRelation("terms", condition=Q(terms__stands=True)))
        .values_list(*_MAIN_DEAL, *_STANDING).iterator(chunk_size=chunk_size)
    )
    for chunk in chunked(main, chunk_size):
        ids = [r[0] for r in chunk]
        parties = _deal_parties(ids)
        assets = _deal_assets(ids)
        other_terms = _deal_other_terms(ids, sources)
        for (pk, title, kind, on, precision, territory, status, src_url, src_title, platform,
             cur, up, ms, tv, eq, rate, t_url, t_title, near) in chunk:
            if src_url not in sources:
                sources[src_url] = src_title
            licensors, licensees, others, readable = parties.get(pk, _NO_PARTIES)
            codes, asset_targets, targets = assets.get(pk, _NO_ASSETS)
            if cur is None:  # no standing terms (a terms row's currency is never null)
                cur = t_url = ""
            elif t_url not in sources:
                sources[t_url] = t_title
            yield [
                PreciseDate(on, precision), licensors, licensees, others, codes, kind, territory, up, near, ms, tv,
                cur,
                status, src_url,
                title, readable, asset_targets, targets, platform or "",
                None if up is None else (up * rate).quantize(_MILLI),
                None if ms is None else (ms * rate).quantize(_MILLI),
                None if tv is None else (tv * rate).quantize(_MILLI),
                eq, rate, t_url, other_terms.get(pk, ""), src_title, f"/deals/{pk}/",
                _usd_total(tv, up, rate),  # the list's "Value (M USD)" (``with_value_usd``)
            ]


def _deal_parties(ids: list[int]) -> dict[int, tuple[str, str, str, str]]:
    """Per deal: licensors, licensees, other parties (``Company:role``), readable parties."""
    rows = (
        DealParty.objects.filter(IdIn("deal_id", ids)).order_by("deal_id", "id")
        .values_list("deal_id", "company__name", "role")
    )
    out = {}
    for deal_id, parties in _grouped(rows).items():
        # One pass per deal: this runs for every exported deal, so no generator per column.
        licensors: list[str] = []
        licensees: list[str] = []
        others: list[str] = []
        roles: dict[str, list[str]] = {}  # a company once, with all its roles ("BMS (Licensee, Co-developer)")
        for _, company, role in parties:
            if role == _LICENSOR:
                licensors.append(company)
            elif role == _LICENSEE:
                licensees.append(company)
            else:
                others.append(f"{company}:{role}")
            roles.setdefault(company, []).append(_ROLE_LABEL.get(role, role))
        readable = "; ".join(f"{company} ({', '.join(labels)})" for company, labels in roles.items())
        out[deal_id] = (SEP.join(licensors), SEP.join(licensees), SEP.join(others), readable)
    return out


def _deal_assets(ids: list[int]) -> dict[int, tuple[str, str, str]]:
    """Per deal: asset codes, ``CODE: T1 x T2`` per asset, distinct targets; one query with the targets."""
    rows = (
        Deal.assets.through.objects.filter(IdIn("deal_id", ids))
        .order_by("deal_id", "asset__code", "asset_id", "asset__asset_targets__position")
        .values_list("deal_id", "asset_id", "asset__code", "asset__asset_targets__target__symbol")
    )
    out: dict[int, tuple[str, str, str]] = {}
    for deal_id, links in _grouped(rows).items():
        if len(links) == 1:  # the common case: one asset with one target (or none)
            _, _, code, symbol = links[0]
            out[deal_id] = (code, f"{code}: {symbol}", symbol) if symbol else (code, "", "")
            continue
        # asset id -> (code, [symbols]) in code order; an asset without targets has one row of None
        per_asset: dict[int, tuple[str, list[str]]] = {}
        for _, asset_id, code, symbol in links:
            symbols = per_asset.setdefault(asset_id, (code, []))[1]
            if symbol:
                symbols.append(symbol)
        out[deal_id] = (
            _join(code for code, _ in per_asset.values()),
            "; ".join(f"{code}: {' x '.join(symbols)}" for code, symbols in per_asset.values() if symbols),
            _join(dict.fromkeys(s for _, symbols in per_asset.values() for s in symbols)),
        )
    return out


def _deal_other_terms(ids: list[int], sources: dict[str, str]) -> dict[int, str]:
    """Per deal: the terms that do not stand, as text with their sources ("7000 M EUR (Source: note)")."""
    rows = (
        DealTerms.objects.filter(IdIn("deal_id", ids), stands=False).order_by("deal_id", "id")
        .values_list("deal_id", "currency", "upfront", "total_value", "source__url", "source__title", "note")
    )
    out = {}
    for deal_id, terms in _grouped(rows).items():
        texts = []
        for _, cur, up, tv, t_url, t_title, note in terms:
            if t_url not in sources:
                sources[t_url] = t_title
            figure = tv if tv is not None else up
            text = f"{figure} M {cur}" if figure is not None else "no figure"
            texts.append(f"{text} ({t_title or t_url}{': ' + note if note else ''})")
        out[deal_id] = " | ".join(texts)
    return out


_STANDING_LABEL = {True: "standing", False: "not standing"}
_TERMS_FIELDS = ("deal_id", "deal__title", "deal__announced_on", "deal__announced_precision", "stands", "currency",
                 "upfront", "near_term", "milestones", "total_value", "equity", "usd_per_unit", "royalty_terms", "note",
                 "source__url", "source__title")


def deal_terms_rows(qs: QuerySet[Deal], sources: dict[str, str], chunk_size: int | None = None) -> Iterator[list[Cell]]:
    """The workbook's Terms sheet: every terms row of the deals in ``qs`` (one query, streamed), newest
    deal first, the standing row first in each deal; a deal reported by two sources is "disputed"."""
    rows = (
        DealTerms.objects.filter(deal_id__in=qs.order_by().values("pk"))
        .order_by(F("deal__announced_on").desc(nulls_last=True), "deal__title", "deal_id", "-stands", "id")
        .values_list(*_TERMS_FIELDS).iterator(chunk_size=chunk_size or CHUNK)
    )
    for _, run in groupby(rows, _key):
        terms = list(run)
        disputed = "disputed" if len(terms) > 1 else ""
        for (pk, title, on, precision, stands, cur, up, near, ms, tv, eq, rate, royalty, note, url, src_title) in terms:
            if url not in sources:
                sources[url] = src_title
            yield [
                title, PreciseDate(on, precision), f"/deals/{pk}/", _STANDING_LABEL[stands], disputed, cur,
                up, near, ms, tv, eq, rate, _usd_total(tv, up, rate), royalty, note, src_title, url,
            ]


# --- assets -------------------------------------------------------------------------------------

_AW = {"code": 16, "inn": 26, "brand": 16, "aliases": 20, "originator": 24, "targets": 16, "antibody_format": 18,
       "fc_engineering": 12, "conjugation_method": 18, "conjugation_technology": 18, "dar": 8, "dar_kind": 9,
       "linker": 18, "linker_type": 16, "linker_payload": 16, "payloads": 16, "payload_class": 14,
       "indications": 30, "source_url": 40}
ASSET_EXTRA = (
    Column("target_pair", 16, T), Column("highest_phase", 14, T), Column("current_phase", 14, T),
    Column("latest_event_date", 12, D), Column("first_dosed_on", 12, D), Column("ind_to_dosing_days", 10, N),
    Column("masking_platform", 16, T), Column("source_titles", 50, T), Column("asset_path", 20, T),
    Column("latest_event", 30, T),
)
# ``dar`` is text: a range ("3.5-4") is not one number; a single value reads back the same.
ASSET_SPEC_COLUMNS = tuple(Column(h, _AW.get(h, 12), T) for h in ASSET_COLUMNS) + ASSET_EXTRA
_MAIN_ASSET = (
    "pk", "code", "inn", "originator__name", "antibody_format", "conjugation_method", "conjugation_technology",
    "dar", "linker_chemistry", "linker_cleavable", "masked", "status", "highest_phase", "current_phase",
    "latest_event_date", "first_dosed_on", "ind_to_dosing_days", "target_pair__low__symbol",
    "target_pair__high__symbol", "masking_platform__name", "slug",
    "fc_engineering", "dar_max", "dar_kind", "linker_type", "linker_payload",
    # the latest event as the list shows it: its label and its date at its precision
    "latest_milestone__kind", "latest_milestone__phase", "latest_milestone__agency",
    "latest_milestone__approval_type", "latest_milestone__date", "latest_milestone__date_precision",
)


def _dar_text(low: Decimal | None, high: Decimal | None) -> str:
    """"4", "3.5-4" or "" (what ``parse_dar`` reads back)."""
    if low is None:
        return ""
    text = f"{low.normalize():f}"
    return f"{text}-{high.normalize():f}" if high is not None else text


def asset_spec() -> ExportSpec:
    return ExportSpec("assets", ASSET_SPEC_COLUMNS)


def asset_rows(qs: QuerySet[Asset], spec: ExportSpec, chunk_size: int | None = None) -> Iterator[list[Cell]]:
    """The asset export's rows in ``qs``'s order; one query per related table per chunk."""
    chunk_size = chunk_size or CHUNK
    main = qs.values_list(*_MAIN_ASSET).iterator(chunk_size=chunk_size)
    for chunk in chunked(main, chunk_size):
        ids = [r[0] for r in chunk]
        names = _grouped(
            AssetDesignation.objects.filter(IdIn("asset_id", ids)).order_by("asset_id", "id")
            .values_list("asset_id", "name", "normalized", "kind")
        )
        targets = _grouped(
            AssetTarget.objects.filter(IdIn("asset_id", ids)).order_by("asset_id", "position")
            .values_list("asset_id", "target__symbol")
        )
        payloads = _grouped(
            AssetPayload.objects.filter(IdIn("asset_id", ids)).order_by("asset_id", "position", "id")
            .values_list("asset_id", "payload__name", "payload__payload_class")
        )
        indications = _grouped(
            Asset.indications.through.objects.filter(IdIn("asset_id", ids)).order_by("asset_id", "indication__name")
            .values_list("asset_id", "indication__name")
        )
        sources = _grouped(
            Asset.sources.through.objects.filter(IdIn("asset_id", ids)).order_by("asset_id", "source__url")
            .values_list("asset_id", "source__url", "source__title")
        )
        for rows in sources.values():
            for _, url, title in rows:
                spec.sources.setdefault(url, title)
        for r in chunk:
            pk = r[0]
            yield _asset_row(
                r, [(n, k, kind) for _, n, k, kind in names.get(pk, ())], [s for _, s in targets.get(pk, ())],
                [(n, k) for _, n, k in payloads.get(pk, ())], [n for _, n in indications.get(pk, ())],
                [(u, t) for _, u, t in sources.get(pk, ())],
            )


def _asset_row(
    r: tuple[Any, ...], names: list[tuple[str, str, str]], targets: list[str], payloads: list[tuple[str, str]],
    indications: list[str], sources: list[tuple[str, str]],
) -> list[Cell]:
    (_, code, inn, originator, fmt, conj, conj_tech, dar, linker, cleavable, masked, status, highest, current,
     latest, first_dosed, ind_days, pair_low, pair_high, masking_platform, slug,
     fc, dar_max, dar_kind, linker_type, linker_payload, m_kind, m_phase, m_agency, m_type, m_date, m_precision) = r
    if m_kind is not None:
        latest_label = milestone_label(m_kind, m_phase, m_agency, m_type)
        latest_when: PreciseDate | Any = PreciseDate(m_date, m_precision)
    else:
        latest_label, latest_when = "", latest
    own = {normalize_name(code), normalize_name(inn)} if inn else {normalize_name(code)}
    brands = [name for name, normalized, kind in names if kind == DesignationKind.BRAND and normalized not in own]
    aliases = [name for name, normalized, kind in names if kind != DesignationKind.BRAND and normalized not in own]
    pair = " x ".join(sorted([pair_low, pair_high])) if pair_low and pair_high else ""
    return [
        code, inn, _join(brands), _join(aliases), originator, _join(targets), fmt, fc, conj, conj_tech,
        _dar_text(dar, dar_max), dar_kind, linker, linker_type, _bool(cleavable), linker_payload,
        _join(n for n, _ in payloads), _join(dict.fromkeys(k for _, k in payloads)), _bool(masked), status,
        _join(indications), _join(u for u, _ in sources),
        pair, highest, current, latest_when, first_dosed, ind_days, masking_platform or "",
        "; ".join(t or u for u, t in sources), f"/assets/{slug}/", latest_label,
    ]

