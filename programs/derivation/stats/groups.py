"""The statistics groups: one SQL ``GROUP BY`` query per group, written by the database itself.

Each function returns a ``Source``: the SQL of one ``SELECT`` whose columns are ``stat_key``,
``stat_value``, ``stat_records`` and ``stat_meta`` (one row per key). ``programs.derivation.stats.compute`` wraps
it in ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``, so the figures go from the aggregate to the
statistics table without a round trip through Python: no per-row objects, whatever the group's size.
Most sources are ORM querysets compiled for the current backend (PostgreSQL or SQLite); the median is
portable hand-written SQL because neither ``percentile_cont`` nor a median aggregate exists on SQLite.

``GROUPS`` names them all, ``DERIVED_GROUPS`` those that read the per-asset derived columns
(recomputed after the asset task), ``MODEL_GROUPS`` which groups an edit of each model can change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Collate, Concat, ExtractYear, JSONObject, NullIf, Round
from django.db.models.lookups import LessThanOrEqual

from milestones.models import Milestone, SafetyEvent
from milestones.vocab import Assessment, GradeBand, MilestoneKind, MilestoneStatus, SafetyCategory
from programs.models import Asset, AssetPayload, AssetTarget, Deal
from programs.vocab import ConjugationMethod, Phase

COLUMNS = ("stat_key", "stat_value", "stat_records", "stat_meta")
IND_KINDS = (MilestoneKind.IND_CLEARED, MilestoneKind.CTA_APPROVED)


@dataclass(frozen=True)
class Source:
    """One ``SELECT`` with the columns in ``COLUMNS`` (others are ignored), and its parameters.

    ``meta=False``: the rows have no ``stat_meta`` column and get ``{}``. (Inside the GROUP BY query a
    constant JSON object would be built for every input row, and grouped by.)
    """

    sql: str
    params: Sequence[Any]
    meta: bool = True

    @classmethod
    def of(cls, qs: QuerySet[Any], *, meta: bool = True) -> Source:
        sql, params = qs.order_by().query.sql_with_params()
        return cls(sql, tuple(params), meta)


def _text(expr: Any) -> Cast:
    return Cast(expr, CharField())


def _or(expr: Any, fallback: str) -> Coalesce:
    """``expr``, or ``fallback`` when it is NULL or empty (what ``str(v or fallback)`` did in Python)."""
    return Coalesce(NullIf(expr, Value("")), Value(fallback), output_field=CharField())


def _binary(field: str) -> Collate:
    """Compare by code point, like Python's ``sorted``, whatever the database's default collation."""
    return Collate(F(field), "C" if connection.vendor == "postgresql" else "BINARY")


def _counted(qs: QuerySet[Any], key: Expression | F, counted: str = "id", *, distinct: bool = False) -> Source:
    """Rows counted per key: value and records are both the count."""
    n = Count(counted, distinct=distinct)
    return Source.of(qs.values(stat_key=key).annotate(stat_value=n, stat_records=n), meta=False)


def by_highest_phase() -> Source:
    return _counted(Asset.objects.all(), F("highest_phase"))


def by_target() -> Source:
    return _counted(AssetTarget.objects.all(), F("target__symbol"), "asset", distinct=True)


def by_target_pair() -> Source:
    """Assets per unordered target pair: key "EGFR-ERBB3" (symbols sorted), ``meta.label`` "EGFR x ERBB3"."""
    low, high = F("target_pair__low__symbol"), F("target_pair__high__symbol")
    ordered = LessThanOrEqual(_binary("target_pair__low__symbol"), _binary("target_pair__high__symbol"))

    def joined(sep: str) -> Case:
        return Case(When(ordered, then=Concat(low, Value(sep), high)), default=Concat(high, Value(sep), low),
                    output_field=CharField())

    n = Count("id")
    qs = (Asset.objects.filter(target_pair__isnull=False)
          .values(stat_key=joined("-"), stat_label=joined(" x "))
          .annotate(stat_value=n, stat_records=n, stat_meta=JSONObject(label=F("stat_label"))))
    return Source.of(qs)


def by_antibody_format() -> Source:
    return _counted(Asset.objects.all(), _or(F("antibody_format"), "unknown"))


def by_conjugation_method() -> Source:
    return _counted(Asset.objects.all(), _or(F("conjugation_method"), "unknown"))


def by_originator_country() -> Source:
    return _counted(Asset.objects.all(), _or(F("originator__country"), "unknown"))


def by_payload_class() -> Source:
    """A dual-payload asset counts once per class."""
    return _counted(AssetPayload.objects.all(), F("payload__payload_class"), "asset", distinct=True)


def conjugation_by_phase() -> Source:
    """Assets per (highest phase, conjugation method): key "phase1|site_glycan"."""
    return _counted(Asset.objects.all(), Concat(F("highest_phase"), Value("|"), F("conjugation_method"),
                                                output_field=CharField()))


def site_specific_share() -> Source:
    """Percent of clinical-stage assets (Phase 1 or later) conjugated site-specifically (one row, 0 when none)."""
    n = Count("id")
    site = Count("id", filter=Q(conjugation_method__in=ConjugationMethod.site_specific()))
    share = Round(100.0 * Cast(site, FloatField()) / Cast(NullIf(n, 0), FloatField()), 2)
    # No GROUP BY (the key is a constant): exactly one row, also when no asset is clinical yet.
    qs = Asset.objects.filter(highest_phase__in=Phase.clinical()).values(stat_key=Value("clinical")).annotate(
        stat_value=Coalesce(share, 0.0, output_field=FloatField()), stat_records=n,
        stat_meta=JSONObject(site_specific=site),
    )
    return Source.of(qs)


def inds_per_agency_year() -> Source:
    """IND clearances / CTA approvals that occurred, per agency and year: key "FDA|2024"."""
    qs = (Milestone.objects.filter(kind__in=IND_KINDS, status=MilestoneStatus.OCCURRED, date__isnull=False)
          .exclude(agency=""))
    return _counted(qs, Concat(F("agency"), Value("|"), _text(ExtractYear("date")), output_field=CharField()))


def ind_to_dosing() -> Source:
    """Median days from first IND to first patient dosed; ``records`` = assets with both dates.

    The middle one or two rows by rank (window functions: PostgreSQL, and SQLite since 3.25). One row
    always: value 0 from 0 records when nobody has been dosed yet.
    """
    table = connection.ops.quote_name(Asset._meta.db_table)
    sql = (
        "SELECT 'median_days' AS stat_key, COALESCE(AVG(r.d * 1.0), 0.0) AS stat_value, "
        "COALESCE(MAX(r.c), 0) AS stat_records FROM ("
        "SELECT ind_to_dosing_days AS d, ROW_NUMBER() OVER (ORDER BY ind_to_dosing_days) AS rn, "
        f"COUNT(*) OVER () AS c FROM {table} WHERE ind_to_dosing_days IS NOT NULL) r "
        "WHERE r.rn IN ((r.c + 1) / 2, (r.c + 2) / 2)"
    )
    return Source(sql, (), meta=False)


_ILD = dict(category=SafetyCategory.ILD, assessment=Assessment.REPORTED, grade_band=GradeBand.ANY,
            incidence_percent__isnull=False)


def ild_by_payload_class() -> Source:
    """Mean reported any-grade ILD incidence (%) per payload class, and how many figures behind it."""
    qs = AssetPayload.objects.filter(**{f"asset__safetyevents__{k}": v for k, v in _ILD.items()})
    n = Count("asset__safetyevents", distinct=True)
    total = Sum(ExpressionWrapper(F("asset__safetyevents__incidence_percent"), output_field=FloatField()))
    mean = Round(Cast(total, FloatField()) / Cast(n, FloatField()), 3)
    return Source.of(qs.values(stat_key=F("payload__payload_class")).annotate(stat_value=mean, stat_records=n),
                     meta=False)


def ild_points() -> Source:
    """Each reported any-grade ILD figure per payload class, with its source: key "<class>|<event id>".

    DISTINCT: an asset with two payloads of one class gives that class one point.
    """
    cls = F("asset__asset_payloads__payload__payload_class")
    qs = SafetyEvent.objects.filter(**_ILD, asset__asset_payloads__payload__isnull=False).values(
        stat_key=Concat(cls, Value("|"), _text(F("id")), output_field=CharField()),
        stat_value=Cast(F("incidence_percent"), FloatField()),
        stat_records=Value(1, output_field=IntegerField()),
        stat_meta=JSONObject(asset=F("asset__code"), slug=F("asset__slug"), url=F("source__url"),
                             title=F("source__title"), payload_class=cls),
    ).distinct()
    return Source.of(qs)


_USD = ExpressionWrapper(F("terms__total_value") * F("terms__usd_per_unit"), output_field=FloatField())
_DEAL_KEYS: dict[str, Callable[[], Any]] = {
    "year": lambda: Coalesce(_text(ExtractYear("announced_on")), Value("undated"), output_field=CharField()),
    "kind": lambda: _or(F("kind"), "unspecified"),
    "territory": lambda: _or(F("territory"), "unspecified"),
}


def _deal_counts(dimension: str) -> Source:
    return _counted(Deal.objects.all(), _DEAL_KEYS[dimension]())  # no join: each deal row counts once


def _deal_values(dimension: str) -> Source:
    """US$ million per key: the sum of the standing terms; records = deals with a standing value."""
    usd = Round(Coalesce(Sum(_USD, filter=Q(terms__stands=True)), 0.0, output_field=FloatField()), 3)
    valued = Count("id", distinct=True, filter=Q(terms__stands=True, terms__total_value__isnull=False))
    return Source.of(Deal.objects.values(stat_key=_DEAL_KEYS[dimension]()).annotate(
        stat_value=usd, stat_records=valued), meta=False)


def deals_by_year() -> Source:
    return _deal_counts("year")


def deal_value_by_year() -> Source:
    return _deal_values("year")


def deals_by_kind() -> Source:
    return _deal_counts("kind")


def deal_value_by_kind() -> Source:
    return _deal_values("kind")


def deals_by_territory() -> Source:
    return _deal_counts("territory")


def deal_value_by_territory() -> Source:
    return _deal_values("territory")


GROUPS: dict[str, Callable[[], Source]] = {
    "highest_phase": by_highest_phase,
    "target": by_target,
    "target_pair": by_target_pair,
    "antibody_format": by_antibody_format,
    "conjugation_method": by_conjugation_method,
    "conjugation_by_phase": conjugation_by_phase,
    "site_specific_share": site_specific_share,
    "payload_class": by_payload_class,
    "originator_country": by_originator_country,
    "inds_per_agency_year": inds_per_agency_year,
    "ind_to_dosing": ind_to_dosing,
    "ild_by_payload_class": ild_by_payload_class,
    "ild_points": ild_points,
    "deals_by_year": deals_by_year,
    "deal_value_by_year": deal_value_by_year,
    "deals_by_kind": deals_by_kind,
    "deal_value_by_kind": deal_value_by_kind,
    "deals_by_territory": deals_by_territory,
    "deal_value_by_territory": deal_value_by_territory,
}

#: Groups read from the per-asset derived columns: refreshed again after the asset task changes them.
DERIVED_GROUPS = ("highest_phase", "target_pair", "conjugation_by_phase", "site_specific_share", "ind_to_dosing")
_DEAL_GROUPS = tuple(g for g in GROUPS if g.startswith("deal"))
_ILD_GROUPS = ("ild_by_payload_class", "ild_points")

#: Model label -> groups an edit of it can change (what ``programs.derivation.signals`` marks dirty).
MODEL_GROUPS: dict[str, tuple[str, ...]] = {
    "programs.asset": ("highest_phase", "antibody_format", "conjugation_method", "conjugation_by_phase",
                       "site_specific_share", "originator_country", "target", "target_pair", "payload_class",
                       "ind_to_dosing", *_ILD_GROUPS),
    # The phase and IND-to-dosing groups read the asset's derived columns, not milestones: the asset
    # task marks them (``programs.tasks.FIELD_GROUPS``) when a milestone edit actually changed those.
    "milestones.milestone": ("inds_per_agency_year",),
    "milestones.safetyevent": _ILD_GROUPS,
    "milestones.efficacyreadout": (),
    "programs.assettarget": ("target", "target_pair"),
    "programs.assetpayload": ("payload_class", *_ILD_GROUPS),
    "programs.deal": _DEAL_GROUPS,
    "programs.dealparty": (),
    "programs.dealterms": _DEAL_GROUPS,
    "programs.company": ("originator_country",),
    "programs.payload": ("payload_class", *_ILD_GROUPS),
    "programs.target": ("target", "target_pair"),
    "programs.source": ("ild_points",),
}
