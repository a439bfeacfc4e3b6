"""The asset page's sections read with ``.values()``: plain rows holding what the template prints.

Why not model instances: on a page-cache miss the asset page spent more time instantiating models
(38 milestones with their sources and indications, each a few model objects) and compiling
querysets than PostgreSQL spent answering. Rows are tuples turned into small slotted dataclasses
(Jinja2 reads attributes faster than dict keys); labels come from the choices, URLs are reversed once
per page and concatenated (``url_pattern``), and whatever a model computes (a milestone's slip, a
safety figure) comes from the module-level function its property also calls, so the logic lives once.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import Expression, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from milestones.models.clinical import efficacy_figure, safety_figure
from milestones.models.milestones import (
    milestone_label,
    milestone_overdue,
    milestone_planned_when,
    milestone_slip_days,
)
from milestones.vocab import Assessment, Endpoint, GradeBand, LineOfTherapy, MilestoneStatus, SafetyCategory
from programs.dates import PreciseDate
from programs.models import Asset, AssetTarget, Deal, DealParty, DealTerms, Source
from programs.models.sources import source_label, source_name
from programs.readpath.prepared import Prepared
from programs.vocab import DealKind, DealRole, DealStatus, Phase, choice_labels


def url_pattern(name: str, placeholder: str = "0") -> tuple[str, str]:
    """A URL split around its one argument: reversing once beats reversing once per row."""
    url = reverse(name, args=[placeholder])
    head, _, tail = url.rpartition(placeholder)
    return head, tail


_STATUSES = choice_labels(MilestoneStatus)
_CATEGORIES = choice_labels(SafetyCategory)
_GRADE_BANDS = choice_labels(GradeBand)
_ENDPOINTS = choice_labels(Endpoint)
_LINES = choice_labels(LineOfTherapy)
_DEAL_KINDS = choice_labels(DealKind)
_ROLES = choice_labels(DealRole)
_PHASES = choice_labels(Phase)


# --- milestones -------------------------------------------------------------------------------


@dataclass(slots=True)
class MilestoneRow:
    """One timeline row; ``kind``, ``agency``, ``date`` and ``pk`` also serve ``first_ind_events``."""

    pk: int
    kind: str
    agency: str
    status: str
    date: dt.date | None
    when: PreciseDate
    label: str
    status_label: str
    is_planned: bool
    late: bool  # planned, and its whole period has passed
    slip: int | None
    planned_when: str  # "" when there was no plan
    notes: str
    indication: str | None
    trial_id: str
    trial_url: str  # "" until a trial record holds the id
    source_url: str
    source_label: str
    url: str
    edit_url: str
    occur_url: str


_MILESTONE_FIELDS = ("pk", "kind", "agency", "approval_type", "phase", "status", "date", "date_precision",
                     "planned_date", "planned_precision", "notes", "indication__name", "trial_id", "trial_record_id",
                     "source__url", "source__title", "source__publisher")


_MILESTONES = Prepared(lambda asset_id: Milestone.objects.filter(asset_id=asset_id).order_by().values_list(
    *_MILESTONE_FIELDS))


def milestone_rows(asset_id: int, today: dt.date) -> list[MilestoneRow]:
    """The asset's milestones in date order; an event with no stated date goes last (its position is unknown)."""
    detail = url_pattern("milestones:milestone_detail")
    edit = url_pattern("milestones:milestone_edit")
    occur = url_pattern("milestones:quick_mark_occurred")
    trial = url_pattern("milestones:trial_detail")
    rows = []
    for (pk, kind, agency, approval_type, phase, status, date, precision, planned_date, planned_precision, notes,
         indication, trial_id, trial_pk, source_url, source_title, publisher) in _MILESTONES.rows(asset_id):
        when = PreciseDate(date, precision)
        plan = milestone_planned_when(planned_date, planned_precision)
        rows.append(MilestoneRow(
            pk=pk, kind=kind, agency=agency, status=status, date=date, when=when,
            label=milestone_label(kind, phase, agency, approval_type), status_label=_STATUSES.get(status, status),
            is_planned=status == MilestoneStatus.PLANNED, late=milestone_overdue(status, when, today),
            slip=milestone_slip_days(status, date, plan), planned_when=str(plan) if plan else "", notes=notes,
            indication=indication, trial_id=trial_id, source_url=source_url,
            trial_url=f"{trial[0]}{trial_pk}{trial[1]}" if trial_pk else "",
            source_label=source_label(publisher, source_title, source_url),
            url=f"{detail[0]}{pk}{detail[1]}", edit_url=f"{edit[0]}{pk}{edit[1]}",
            occur_url=f"{occur[0]}{pk}{occur[1]}",
        ))
    far = dt.date.max
    rows.sort(key=lambda m: (m.date or far, m.pk))
    return rows


# --- clinical data ----------------------------------------------------------------------------


@dataclass(slots=True)
class SafetyRow:
    category: str
    term: str
    grade_band: str
    grade: int | None
    max_grade: int | None
    reported: bool
    figure: str
    study: str
    dose_group: str
    population: str
    cutoff: PreciseDate
    source_url: str
    source_label: str


@dataclass(slots=True)
class MeasureRow:
    name: str
    value: Decimal
    unit: str
    study: str
    cutoff: PreciseDate
    source_url: str
    source_label: str


@dataclass(slots=True)
class EfficacyRow:
    endpoint: str
    endpoint_label: str
    figure: str
    ci_low: Decimal | None
    ci_high: Decimal | None
    n: int | None
    indication: str
    line_of_therapy: str  # the label, "" when not stated
    study: str
    dose_group: str
    cutoff: PreciseDate
    source_url: str
    source_label: str


_SOURCE = ("data_cutoff", "data_cutoff_precision", "source__url", "source__publisher", "source__title")


_SAFETY = Prepared(lambda asset_id: SafetyEvent.objects.filter(asset_id=asset_id).values_list(
    "category", "term", "grade_band", "grade", "max_grade", "assessment", "n", "n_total", "incidence_percent", "study",
    "dose_group", "population", *_SOURCE))
_MEASURES = Prepared(lambda asset_id: SafetyMeasure.objects.filter(asset_id=asset_id).values_list(
    "name", "value", "unit", "study", *_SOURCE))
_EFFICACY = Prepared(lambda asset_id: EfficacyReadout.objects.filter(asset_id=asset_id).values_list(
    "endpoint", "endpoint_label", "value", "unit", "ci_low", "ci_high", "n", "indication__name", "line_of_therapy",
    "study", "dose_group", *_SOURCE))
_SOURCES = Prepared(
    lambda asset_id: Source.objects.filter(assets=asset_id).values_list("url", "title", "publisher", "verified")
)


def safety_rows(asset_id: int) -> list[SafetyRow]:
    rows = []
    for (category, term, band, grade, max_grade, assessment, n, n_total, pct, study, dose_group, population,
         cutoff, precision, url, publisher, title) in _SAFETY.rows(asset_id):
        rows.append(SafetyRow(
            category=_CATEGORIES.get(category, category), term=term, grade_band=_GRADE_BANDS.get(band, band),
            grade=grade, max_grade=max_grade, reported=assessment == Assessment.REPORTED,
            figure=safety_figure(assessment, n, n_total, pct), study=study, dose_group=dose_group,
            population=population, cutoff=PreciseDate(cutoff, precision), source_url=url,
            source_label=source_label(publisher, title, url),
        ))
    return rows


def measure_rows(asset_id: int) -> list[MeasureRow]:
    return [
        MeasureRow(name=name, value=value, unit=unit, study=study, cutoff=PreciseDate(cutoff, precision),
                   source_url=url, source_label=source_label(publisher, title, url))
        for name, value, unit, study, cutoff, precision, url, publisher, title
        in _MEASURES.rows(asset_id)
    ]


def efficacy_rows(asset_id: int) -> list[EfficacyRow]:
    rows = []
    for (endpoint, endpoint_label, value, unit, ci_low, ci_high, n, indication, line, study, dose_group,
         cutoff, precision, url, publisher, title) in _EFFICACY.rows(asset_id):
        rows.append(EfficacyRow(
            endpoint=_ENDPOINTS.get(endpoint, endpoint), endpoint_label=endpoint_label,
            figure=efficacy_figure(value, unit), ci_low=ci_low, ci_high=ci_high, n=n, indication=indication or "",
            line_of_therapy=_LINES.get(line, line) if line else "", study=study, dose_group=dose_group,
            cutoff=PreciseDate(cutoff, precision), source_url=url, source_label=source_label(publisher, title, url),
        ))
    return rows


@dataclass(slots=True)
class SourceRow:
    url: str
    name: str  # ``str(source)``
    publisher: str
    verified: bool  # False: the page says "unverified" beside the link


def source_rows(asset_id: int) -> list[SourceRow]:
    return [SourceRow(url, source_name(title, url), publisher, verified) for url, title, publisher, verified
            in _SOURCES.rows(asset_id)]


# --- deals ------------------------------------------------------------------------------------


@dataclass(slots=True)
class PartyRow:
    name: str
    url: str
    role: str  # the label


@dataclass(slots=True)
class TermsRow:
    stands: bool
    currency: str
    upfront: Decimal | None
    milestones: Decimal | None
    total_value: Decimal | None
    equity: Decimal | None
    royalty_terms: str
    note: str
    source_url: str
    source_label: str


@dataclass(slots=True)
class DealRow:
    pk: int
    title: str
    url: str
    kind: str  # the label
    announced: PreciseDate
    territory: str
    terminated: bool
    terminated_on: dt.date | None
    source_url: str
    parties: list[PartyRow] = field(default_factory=list)
    terms: list[TermsRow] = field(default_factory=list)


_PARTY = {"role": "role", "name": "company__name", "slug": "company__slug"}
_PARTY_ORDER = ("role", "company__name")  # DealParty's own ordering within a deal
_MONEY = ("upfront", "milestones", "total_value", "equity")
_TERMS = {"stands": "stands", "currency": "currency", "royalty_terms": "royalty_terms", "note": "note",
          "url": "source__url", "publisher": "source__publisher", "title": "source__title"}
_TERMS_ORDER = ("-stands", "id")  # DealTerms' own ordering within a deal


def json_list(model: Any, parent: str, fields: dict[str, str | Expression], ordering: tuple[str, ...]) -> Subquery:
    """The children of each outer row as one ordered JSON array (PostgreSQL): a correlated subquery."""
    row = JSONObject(**fields)  # type: ignore[arg-type]
    return Subquery(model.objects.filter(**{parent: OuterRef("pk")}).order_by().values(parent).annotate(
        j=JSONBAgg(row, order_by=ordering)).values("j"))


def _decimal(value: str | Decimal | None) -> Decimal | None:
    """A money column: text out of JSON (cast in SQL, so no float on the way), a Decimal elsewhere."""
    return None if value is None else Decimal(value)


def _party(company_url: tuple[str, str], p: dict[str, Any]) -> PartyRow:
    return PartyRow(p["name"], company_url[0] + p["slug"] + company_url[1], _ROLES.get(p["role"], p["role"]))


def merge_roles(parties: list[PartyRow]) -> list[PartyRow]:
    """One row per company, its roles joined ("licensee, co-developer"), in first-appearance order: a
    company with two roles in one deal is one party, not two."""
    merged: dict[str, PartyRow] = {}
    for p in parties:
        have = merged.get(p.url)
        if have is None:
            merged[p.url] = PartyRow(p.name, p.url, p.role)
        else:
            have.role = f"{have.role}, {p.role.lower()}"
    return list(merged.values())


def _terms(t: dict[str, Any]) -> TermsRow:
    return TermsRow(stands=t["stands"], currency=t["currency"], upfront=_decimal(t["upfront"]),
                    milestones=_decimal(t["milestones"]), total_value=_decimal(t["total_value"]),
                    equity=_decimal(t["equity"]), royalty_terms=t["royalty_terms"], note=t["note"],
                    source_url=t["url"], source_label=source_label(t["publisher"], t["title"], t["url"]))


def _deals(asset_id: int) -> QuerySet[Deal, tuple[Any, ...]]:
    qs = Deal.objects.filter(assets=asset_id)
    extra: tuple[str, ...] = ()
    if connection.vendor == "postgresql":
        money = {f: Cast(f, TextField()) for f in _MONEY}
        qs = qs.annotate(party_list=json_list(DealParty, "deal", dict(_PARTY), _PARTY_ORDER),
                         terms_list=json_list(DealTerms, "deal", {**_TERMS, **money}, _TERMS_ORDER))
        extra = ("party_list", "terms_list")
    return qs.values_list("pk", "title", "kind", "announced_on", "announced_precision", "territory", "status",
                          "terminated_on", "source__url", *extra)


_DEALS = Prepared(_deals)


def deal_rows(asset_id: int) -> list[DealRow]:
    """Each deal with its parties and terms: one query on PostgreSQL (parties and terms as ordered JSON
    arrays), three elsewhere; none for parties and terms when there are no deals."""
    deal_url = url_pattern("programs:deal_detail")
    company_url = url_pattern("programs:company_detail", "slug")
    joined = connection.vendor == "postgresql"
    deals: dict[int, DealRow] = {}
    for pk, title, kind, announced_on, precision, territory, status, terminated_on, url, *lists in _DEALS.rows(
            asset_id):
        deal = DealRow(pk=pk, title=title, url=f"{deal_url[0]}{pk}{deal_url[1]}", kind=_DEAL_KINDS.get(kind, kind),
                       announced=PreciseDate(announced_on, precision), territory=territory,
                       terminated=status == DealStatus.TERMINATED, terminated_on=terminated_on, source_url=url)
        if joined:
            parties, terms = (json.loads(x) if isinstance(x, str) else x for x in lists)
            deal.parties = [_party(company_url, p) for p in parties or []]
            deal.terms = [_terms(t) for t in terms or []]
        deals[pk] = deal
    if deals and not joined:
        for deal_id, *values in DealParty.objects.filter(deal_id__in=deals).order_by(
                "deal", *_PARTY_ORDER).values_list("deal_id", *_PARTY.values()):
            deals[deal_id].parties.append(_party(company_url, dict(zip(_PARTY, values, strict=True))))
        for deal_id, *values in DealTerms.objects.filter(deal_id__in=deals).order_by(
                "deal", *_TERMS_ORDER).values_list("deal_id", *_TERMS.values(), *_MONEY):
            deals[deal_id].terms.append(_terms(dict(zip((*_TERMS, *_MONEY), values, strict=True))))
    for deal in deals.values():
        deal.parties = merge_roles(deal.parties)
    return list(deals.values())


# --- related assets ---------------------------------------------------------------------------


@dataclass(slots=True)
class RelatedRow:
    code: str
    url: str
    originator: str
    originator_url: str
    phase: str  # the label


RELATED = 12


_RELATED_FIELDS = ("highest_phase_rank", "code", "slug", "highest_phase", "originator__name", "originator__slug")
#: Without a target pair the statement depends on the asset alone: compiled once (``Prepared``).
_SAME_TARGETS = Prepared(lambda asset_id: Asset.objects.filter(pk__in=AssetTarget.objects.filter(
    target_id__in=AssetTarget.objects.filter(asset_id=asset_id).values("target_id")).exclude(
    asset_id=asset_id).order_by("-asset_id").values("asset_id")[:RELATED]).order_by().values_list(*_RELATED_FIELDS))


def related_rows(asset: Asset) -> list[RelatedRow]:
    """Assets on the same pair, then on the same targets (newest first): index-bounded id lookups.

    Ordering thousands of ERBB2 assets by phase would sort them all; walking the (target, asset)
    index backwards stops after a dozen.
    """
    if asset.target_pair_id:
        rows = _related_with_pair(asset)
    else:
        rows = _SAME_TARGETS.rows(asset.pk)
    asset_url = url_pattern("programs:asset_detail", "slug")
    company_url = url_pattern("programs:company_detail", "slug")
    return [RelatedRow(code, asset_url[0] + slug + asset_url[1], company,
                       company_url[0] + company_slug + company_url[1], _PHASES.get(phase, phase))
            for _, code, slug, phase, company, company_slug in sorted(rows, key=lambda r: (-r[0], r[1]))]


def _related_with_pair(asset: Asset) -> list[tuple[Any, ...]]:
    """The pair's other assets first, then as many on the same targets as there is room for."""
    ids: list[int] = list(Asset.objects.filter(target_pair_id=asset.target_pair_id).exclude(pk=asset.pk).order_by(
        "-pk").values_list("pk", flat=True)[:RELATED])
    wanted = Q(pk__in=ids)
    if len(ids) < RELATED:
        # A subquery, not a second round trip: PostgreSQL and SQLite both take LIMIT inside IN (...).
        wanted |= Q(pk__in=AssetTarget.objects.filter(
            target_id__in=AssetTarget.objects.filter(asset_id=asset.pk).values("target_id")).exclude(
            asset_id__in=[asset.pk, *ids]).order_by("-asset_id").values("asset_id")[: RELATED - len(ids)])
    return list(Asset.objects.filter(wanted).order_by().values_list(*_RELATED_FIELDS))
