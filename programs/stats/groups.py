"""The statistics groups: one function per group, each a handful of SQL ``GROUP BY`` aggregates.

Each function returns rows ``(key, value, records, meta)``; none loops over the raw records in
Python, so a group costs the same few queries at 10 or 100,000 assets. ``GROUPS`` names them all,
``DERIVED_GROUPS`` those that read the per-asset derived columns (recomputed after the asset task).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum
from django.db.models.functions import ExtractYear

from milestones.models import Milestone, SafetyEvent
from milestones.vocab import Assessment, GradeBand, MilestoneKind, MilestoneStatus, SafetyCategory
from programs.models import Asset, AssetPayload, AssetTarget, Deal
from programs.vocab import ConjugationMethod, Phase

Row = tuple[str, float, int, dict[str, Any]]

IND_KINDS = (MilestoneKind.IND_CLEARED, MilestoneKind.CTA_APPROVED)


def by_highest_phase() -> list[Row]:
    rows = Asset.objects.values("highest_phase").annotate(n=Count("id")).order_by()
    return [(r["highest_phase"], r["n"], r["n"], {}) for r in rows]


def by_target() -> list[Row]:
    rows = AssetTarget.objects.values("target__symbol").annotate(n=Count("asset", distinct=True)).order_by()
    return [(r["target__symbol"], r["n"], r["n"], {}) for r in rows]


def by_target_pair() -> list[Row]:
    rows = (
        Asset.objects.filter(target_pair__isnull=False)
        .values("target_pair__low__symbol", "target_pair__high__symbol")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: list[Row] = []
    for r in rows:
        a, b = sorted([r["target_pair__low__symbol"], r["target_pair__high__symbol"]])
        out.append((f"{a}-{b}", r["n"], r["n"], {"label": f"{a} x {b}"}))
    return out


def _by_asset_field(field: str) -> list[Row]:
    rows = Asset.objects.values(field).annotate(n=Count("id")).order_by()
    return [(str(r[field] or "unknown"), r["n"], r["n"], {}) for r in rows]


def by_antibody_format() -> list[Row]:
    return _by_asset_field("antibody_format")


def by_conjugation_method() -> list[Row]:
    return _by_asset_field("conjugation_method")


def by_originator_country() -> list[Row]:
    return _by_asset_field("originator__country")


def by_payload_class() -> list[Row]:
    rows = AssetPayload.objects.values("payload__payload_class").annotate(n=Count("asset", distinct=True)).order_by()
    return [(r["payload__payload_class"], r["n"], r["n"], {}) for r in rows]


def conjugation_by_phase() -> list[Row]:
    """Assets per (highest phase, conjugation method): key "phase1|site_glycan"."""
    rows = Asset.objects.values("highest_phase", "conjugation_method").annotate(n=Count("id")).order_by()
    return [(f"{r['highest_phase']}|{r['conjugation_method']}", r["n"], r["n"], {}) for r in rows]


def site_specific_share() -> list[Row]:
    """Percent of clinical-stage assets (Phase 1 or later) conjugated site-specifically."""
    agg = Asset.objects.filter(highest_phase__in=Phase.clinical()).aggregate(
        n=Count("id"), site=Count("id", filter=Q(conjugation_method__in=ConjugationMethod.site_specific()))
    )
    n, site = agg["n"], agg["site"]
    return [("clinical", round(100.0 * site / n, 2) if n else 0.0, n, {"site_specific": site})]


def inds_per_agency_year() -> list[Row]:
    """IND clearances / CTA approvals that occurred, per agency and year: key "FDA|2024"."""
    rows = (
        Milestone.objects.filter(kind__in=IND_KINDS, status=MilestoneStatus.OCCURRED, date__isnull=False)
        .exclude(agency="")
        .annotate(year=ExtractYear("date"))
        .values("agency", "year")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(f"{r['agency']}|{r['year']}", r["n"], r["n"], {}) for r in rows]


def ind_to_dosing() -> list[Row]:
    """Median days from first IND to first patient dosed (two ordered SQL reads, no Python scan)."""
    qs = Asset.objects.filter(ind_to_dosing_days__isnull=False)
    n = qs.count()
    if n == 0:
        return [("median_days", 0.0, 0, {"empty": True})]
    ordered = qs.order_by("ind_to_dosing_days").values_list("ind_to_dosing_days", flat=True)
    middle = list(ordered[(n - 1) // 2: n // 2 + 1])
    return [("median_days", sum(middle) / len(middle), n, {})]


def _ild_events():  # type: ignore[no-untyped-def]
    return AssetPayload.objects.filter(
        asset__safetyevents__category=SafetyCategory.ILD,
        asset__safetyevents__assessment=Assessment.REPORTED,
        asset__safetyevents__grade_band=GradeBand.ANY,
        asset__safetyevents__incidence_percent__isnull=False,
    )


def ild_by_payload_class() -> list[Row]:
    """Mean reported any-grade ILD incidence (%) per payload class, and how many figures behind it."""
    rows = (
        _ild_events()
        .values("payload__payload_class")
        .annotate(
            n=Count("asset__safetyevents", distinct=True),
            total=Sum(ExpressionWrapper(F("asset__safetyevents__incidence_percent"), output_field=FloatField())),
        )
        .order_by()
    )
    return [(r["payload__payload_class"], round(float(r["total"]) / r["n"], 3), r["n"], {}) for r in rows]


def ild_points() -> list[Row]:
    """Each reported any-grade ILD figure per payload class, with its source: key "<class>|<event id>"."""
    rows = SafetyEvent.objects.filter(
        category=SafetyCategory.ILD, assessment=Assessment.REPORTED, grade_band=GradeBand.ANY,
        incidence_percent__isnull=False,
    ).values(
        "id", "incidence_percent", "asset__code", "asset__slug", "source__url", "source__title",
        "asset__asset_payloads__payload__payload_class",
    ).order_by()
    out: list[Row] = []
    seen: set[str] = set()
    for r in rows:
        cls = r["asset__asset_payloads__payload__payload_class"]
        if cls is None or f"{cls}|{r['id']}" in seen:  # two payloads of one class: one point
            continue
        seen.add(f"{cls}|{r['id']}")
        meta = {"asset": r["asset__code"], "slug": r["asset__slug"], "url": r["source__url"],
                "title": r["source__title"], "payload_class": cls}
        out.append((f"{cls}|{r['id']}", float(r["incidence_percent"]), 1, meta))
    return out


_USD = ExpressionWrapper(F("terms__total_value") * F("terms__usd_per_unit"), output_field=FloatField())


def _deals(dimension: str, value_of: Callable[[Any], str]) -> tuple[list[Row], list[Row]]:
    qs = Deal.objects
    if dimension == "year":
        qs = qs.annotate(year=ExtractYear("announced_on"))
    rows = qs.values(dimension).annotate(
        n=Count("id", distinct=True),
        usd=Sum(_USD, filter=Q(terms__stands=True)),
        valued=Count("id", distinct=True, filter=Q(terms__stands=True, terms__total_value__isnull=False)),
    ).order_by()
    counts = [(value_of(r[dimension]), r["n"], r["n"], {}) for r in rows]
    values = [(value_of(r[dimension]), round(float(r["usd"] or 0), 3), r["valued"], {}) for r in rows]
    return counts, values


def _year(v: Any) -> str:
    return str(v) if v else "undated"


def _text(v: Any) -> str:
    return str(v) if v else "unspecified"


def deals_by_year() -> list[Row]:
    return _deals("year", _year)[0]


def deal_value_by_year() -> list[Row]:
    return _deals("year", _year)[1]


def deals_by_kind() -> list[Row]:
    return _deals("kind", _text)[0]


def deal_value_by_kind() -> list[Row]:
    return _deals("kind", _text)[1]


def deals_by_territory() -> list[Row]:
    return _deals("territory", _text)[0]


def deal_value_by_territory() -> list[Row]:
    return _deals("territory", _text)[1]


GROUPS: dict[str, Callable[[], list[Row]]] = {
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

#: Model label -> groups an edit of it can change (what ``programs.signals`` marks dirty).
MODEL_GROUPS: dict[str, tuple[str, ...]] = {
    "programs.asset": ("highest_phase", "antibody_format", "conjugation_method", "conjugation_by_phase",
                       "site_specific_share", "originator_country", "target", "target_pair", "payload_class",
                       "ind_to_dosing", *_ILD_GROUPS),
    "milestones.milestone": ("inds_per_agency_year", "highest_phase", "conjugation_by_phase",
                             "site_specific_share", "ind_to_dosing"),
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
