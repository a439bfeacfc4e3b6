"""Rows of the deal and asset exports: the import columns first, then readable joined columns.

Rows are built per chunk of ``CHUNK`` main rows: the main query runs once as a streamed cursor
(``.values_list().iterator()``), and each chunk costs one query per related table (parties, assets,
targets, terms, ...) filtered by the chunk's ids. Memory stays flat whatever the row count.

Cell values keep their types (``Decimal``, ``date``, ``Money``, ``PreciseDate``); the writers turn
them into CSV text or typed XLSX cells.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from programs.dates import PreciseDate
from programs.io.columns import ASSET_COLUMNS, DEAL_COLUMNS, LIST_SEPARATOR
from programs.models import Asset, AssetDesignation, AssetPayload, AssetTarget, Deal, DealParty, DealTerms
from programs.text import normalize_name
from programs.vocab import DealRole

CHUNK = 2000
SEP = LIST_SEPARATOR
Cell = Any


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in millions of ``currency`` (written as a number with a currency format in XLSX)."""

    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: int = 14


@dataclass
class ExportSpec:
    """What one table exports: its columns and, for the About sheet, the sources its rows cite."""

    table: str
    columns: tuple[Column, ...]
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _chunks(iterable: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


def _join(values: Iterable[str]) -> str:
    return SEP.join(v for v in values if v)


def _money(value: Decimal | None, currency: str) -> Money | None:
    return None if value is None else Money(value, currency)


def _usd(value: Decimal | None, rate: Decimal) -> Money | None:
    return None if value is None else Money((value * rate).quantize(Decimal("0.001")), "USD")


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


# --- deals --------------------------------------------------------------------------------------

_W = {"announced": 11, "licensor": 24, "licensee": 24, "other_parties": 30, "assets": 16, "kind": 14,
      "territory": 22, "currency": 9, "status": 11, "source_url": 40}
DEAL_EXTRA = (
    Column("title", 44), Column("parties", 50), Column("asset_targets", 30), Column("targets", 18),
    Column("platform", 20), Column("upfront_usd", 14), Column("milestones_usd", 14), Column("total_value_usd", 14),
    Column("equity", 12), Column("usd_per_unit", 12), Column("terms_source_url", 40), Column("other_terms", 50),
    Column("source_title", 44), Column("deal_path", 14),
)
DEAL_SPEC_COLUMNS = tuple(Column(h, _W.get(h, 14)) for h in DEAL_COLUMNS) + DEAL_EXTRA
_ROLE_LABEL = dict(DealRole.choices)
_MAIN_DEAL = ("pk", "title", "kind", "announced_on", "announced_precision", "territory", "status",
              "source__url", "source__title", "platform__name")


def deal_spec() -> ExportSpec:
    return ExportSpec("deals", DEAL_SPEC_COLUMNS)


def deal_rows(qs: QuerySet[Deal], spec: ExportSpec, chunk_size: int | None = None) -> Iterator[list[Cell]]:
    """The deal export's rows in ``qs``'s order; one query per related table per chunk."""
    chunk_size = chunk_size or CHUNK
    main = qs.values_list(*_MAIN_DEAL).iterator(chunk_size=chunk_size)
    for chunk in _chunks(main, chunk_size):
        ids = [r[0] for r in chunk]
        parties: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for deal_id, company, role in (
            DealParty.objects.filter(deal_id__in=ids).order_by("deal_id", "id")
            .values_list("deal_id", "company__name", "role")
        ):
            parties[deal_id].append((company, role))
        assets: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for deal_id, asset_id, code in (
            Deal.assets.through.objects.filter(deal_id__in=ids)
            .order_by("deal_id", "asset__code")
            .values_list("deal_id", "asset_id", "asset__code")
        ):
            assets[deal_id].append((asset_id, code))
        targets: dict[int, list[str]] = defaultdict(list)
        asset_ids = {a for rows in assets.values() for a, _ in rows}
        for asset_id, symbol in (
            AssetTarget.objects.filter(asset_id__in=asset_ids).order_by("asset_id", "position")
            .values_list("asset_id", "target__symbol")
        ):
            targets[asset_id].append(symbol)
        terms: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for t in (
            DealTerms.objects.filter(deal_id__in=ids).order_by("deal_id", "-stands", "id").values_list(
                "deal_id", "stands", "currency", "upfront", "milestones", "total_value", "equity", "usd_per_unit",
                "source__url", "source__title", "note",
            )
        ):
            terms[t[0]].append(t)
        for pk, title, kind, on, precision, territory, status, src_url, src_title, platform in chunk:
            spec.sources.setdefault(src_url, src_title)
            yield _deal_row(
                pk, title, kind, PreciseDate(on, precision), territory, status, src_url, src_title, platform,
                parties[pk], assets[pk], targets, terms[pk], spec,
            )


def _deal_row(
    pk: int, title: str, kind: str, announced: PreciseDate, territory: str, status: str, src_url: str,
    src_title: str, platform: str | None, parties: list[tuple[str, str]], assets: list[tuple[int, str]],
    targets: dict[int, list[str]], terms: list[tuple[Any, ...]], spec: ExportSpec,
) -> list[Cell]:
    licensors = [c for c, r in parties if r == DealRole.LICENSOR]
    licensees = [c for c, r in parties if r == DealRole.LICENSEE]
    others = [f"{c}:{r}" for c, r in parties if r not in (DealRole.LICENSOR, DealRole.LICENSEE)]
    standing = next((t for t in terms if t[1]), None)
    if standing is not None:
        _, _, cur, up, ms, tv, eq, rate, t_url, t_title, _ = standing
        spec.sources.setdefault(t_url, t_title)
        money = [_money(up, cur), _money(ms, cur), _money(tv, cur), cur]
        usd = [_usd(up, rate), _usd(ms, rate), _usd(tv, rate), _money(eq, cur), rate, t_url]
    else:
        money, usd = [None, None, None, ""], [None, None, None, None, None, ""]
    other_terms = []
    for _, stands, cur, up, _ms, tv, _eq, _rate, t_url, t_title, note in terms:
        if stands:
            continue
        spec.sources.setdefault(t_url, t_title)
        figure = tv if tv is not None else up
        text = f"{figure} M {cur}" if figure is not None else "no figure"
        other_terms.append(f"{text} ({t_title or t_url}{': ' + note if note else ''})")
    row: list[Cell] = [
        announced, _join(licensors), _join(licensees), _join(others), _join(code for _, code in assets), kind,
        territory, *money[:3], money[3], status, src_url,
        title,
        "; ".join(f"{c} ({_ROLE_LABEL.get(r, r)})" for c, r in parties),
        "; ".join(f"{code}: {' x '.join(targets[a])}" for a, code in assets if targets[a]),
        _join(dict.fromkeys(s for a, _ in assets for s in targets[a])),
        platform or "",
        *usd,
        " | ".join(other_terms),
        src_title,
        f"/deals/{pk}/",
    ]
    return row


# --- assets -------------------------------------------------------------------------------------

_AW = {"code": 16, "inn": 26, "aliases": 20, "originator": 24, "targets": 16, "antibody_format": 18,
       "conjugation_method": 18, "conjugation_technology": 18, "dar": 7, "linker": 18, "payloads": 16,
       "payload_class": 14, "indications": 30, "source_url": 40}
ASSET_EXTRA = (
    Column("target_pair", 16), Column("highest_phase", 14), Column("current_phase", 14),
    Column("latest_event_date", 12), Column("first_dosed_on", 12), Column("ind_to_dosing_days", 10),
    Column("masking_platform", 16), Column("source_titles", 50), Column("asset_path", 20),
)
ASSET_SPEC_COLUMNS = tuple(Column(h, _AW.get(h, 12)) for h in ASSET_COLUMNS) + ASSET_EXTRA
_MAIN_ASSET = (
    "pk", "code", "inn", "originator__name", "antibody_format", "conjugation_method", "conjugation_technology",
    "dar", "linker_chemistry", "linker_cleavable", "masked", "status", "highest_phase", "current_phase",
    "latest_event_date", "first_dosed_on", "ind_to_dosing_days", "target_pair__low__symbol",
    "target_pair__high__symbol", "masking_platform__name", "slug",
)


def asset_spec() -> ExportSpec:
    return ExportSpec("assets", ASSET_SPEC_COLUMNS)


def asset_rows(qs: QuerySet[Asset], spec: ExportSpec, chunk_size: int | None = None) -> Iterator[list[Cell]]:
    """The asset export's rows in ``qs``'s order; one query per related table per chunk."""
    chunk_size = chunk_size or CHUNK
    main = qs.values_list(*_MAIN_ASSET).iterator(chunk_size=chunk_size)
    for chunk in _chunks(main, chunk_size):
        ids = [r[0] for r in chunk]
        names: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for asset_id, name, normalized in (
            AssetDesignation.objects.filter(asset_id__in=ids).order_by("asset_id", "id")
            .values_list("asset_id", "name", "normalized")
        ):
            names[asset_id].append((name, normalized))
        targets: dict[int, list[str]] = defaultdict(list)
        for asset_id, symbol in (
            AssetTarget.objects.filter(asset_id__in=ids).order_by("asset_id", "position")
            .values_list("asset_id", "target__symbol")
        ):
            targets[asset_id].append(symbol)
        payloads: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for asset_id, name, klass in (
            AssetPayload.objects.filter(asset_id__in=ids).order_by("asset_id", "position", "id")
            .values_list("asset_id", "payload__name", "payload__payload_class")
        ):
            payloads[asset_id].append((name, klass))
        indications: dict[int, list[str]] = defaultdict(list)
        for asset_id, name in (
            Asset.indications.through.objects.filter(asset_id__in=ids).order_by("asset_id", "indication__name")
            .values_list("asset_id", "indication__name")
        ):
            indications[asset_id].append(name)
        sources: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for asset_id, url, title in (
            Asset.sources.through.objects.filter(asset_id__in=ids).order_by("asset_id", "source__url")
            .values_list("asset_id", "source__url", "source__title")
        ):
            sources[asset_id].append((url, title))
            spec.sources.setdefault(url, title)
        for r in chunk:
            pk = r[0]
            yield _asset_row(r, names[pk], targets[pk], payloads[pk], indications[pk], sources[pk])


def _asset_row(
    r: tuple[Any, ...], names: list[tuple[str, str]], targets: list[str], payloads: list[tuple[str, str]],
    indications: list[str], sources: list[tuple[str, str]],
) -> list[Cell]:
    (_, code, inn, originator, fmt, conj, conj_tech, dar, linker, cleavable, masked, status, highest, current,
     latest, first_dosed, ind_days, pair_low, pair_high, masking_platform, slug) = r
    own = {normalize_name(code), normalize_name(inn)} if inn else {normalize_name(code)}
    aliases = [name for name, normalized in names if normalized not in own]
    pair = " x ".join(sorted([pair_low, pair_high])) if pair_low and pair_high else ""
    return [
        code, inn, _join(aliases), originator, _join(targets), fmt, conj, conj_tech, dar, linker, _bool(cleavable),
        _join(n for n, _ in payloads), _join(dict.fromkeys(k for _, k in payloads)), _bool(masked), status,
        _join(indications), _join(u for u, _ in sources),
        pair, highest, current, latest, first_dosed, ind_days, masking_platform or "",
        "; ".join(t or u for u, t in sources), f"/assets/{slug}/",
    ]


def as_date(value: object) -> dt.date | None:
    """A real ``date`` (not a datetime) or None; used by the XLSX writer to type day-precision cells."""
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
