"""DealFilterSet: the one set of deal filters behind /deals/, /api/v1/deals/ and deal exports.

Parameter names are a contract shared with the API and the exports: party, role, asset, target,
pair, kind, territory, year (announced year, repeatable; ``none`` for undated), year_min, year_max,
size (deal size band, repeatable), value_min, value_max, status, q, ordering. Undated deals and
deals without a disclosed value sort last, whichever the direction.
Money filters and the ``value`` sort use the standing terms in millions of US dollars
(``value_usd``, annotated by ``with_value_usd``: a subquery, or a LEFT JOIN where a filter or the
sort uses it; no extra round trip).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from programs.models import Deal, DealTerms
from programs.text import normalize_name
from programs.vocab import DealKind, DealRole, DealStatus

ORDERING_FIELDS = (
    ("announced_on", "announced"),
    ("title", "title"),
    ("kind", "kind"),
    ("status", "status"),
    ("territory", "territory"),
    ("value_usd", "value"),
)


#: Deal size bands over the standing value in millions of USD: (code, label), smallest first.
SIZE_BANDS = (("lt100", "< 100"), ("100-500", "100-500"), ("500-1000", "500-1,000"), ("1000-5000", "1,000-5,000"),
              ("gte5000", "≥ 5,000"), ("undisclosed", "Undisclosed"))
_BAND_RANGES = {"lt100": (None, 100), "100-500": (100, 500), "500-1000": (500, 1000), "1000-5000": (1000, 5000),
                "gte5000": (5000, None)}
#: The ``year`` value of deals whose announcement date is not stated.
UNDATED = "none"
_YEARS = [(UNDATED, "Not stated"), *((str(y), str(y)) for y in range(1980, 2101))]
_NULLS_LAST = {"announced_on", "value_usd"}


def _band_q(band: str, field: str = "value_usd") -> Q:
    if band == "undisclosed":
        return Q(**{f"{field}__isnull": True})
    low, high = _BAND_RANGES[band]
    q = Q(**{f"{field}__isnull": False})
    if low is not None:
        q &= Q(**{f"{field}__gte": low})
    if high is not None:
        q &= Q(**{f"{field}__lt": high})
    return q


def size_band(field: str = "value_usd") -> Case:
    """The band code of a deal annotated with the standing value ``field`` (the facet's GROUP BY key)."""
    return Case(*(When(_band_q(code, field), then=Value(code)) for code, _ in SIZE_BANDS), output_field=CharField())


def _usd_value(prefix: str = "") -> ExpressionWrapper:
    """A terms row's total value (else upfront) in millions of USD, its fields under ``prefix``
    (``DealTerms.usd_total`` in SQL)."""
    value = Coalesce(F(f"{prefix}total_value"), F(f"{prefix}upfront")) * F(f"{prefix}usd_per_unit")
    return ExpressionWrapper(value, output_field=DecimalField(max_digits=20, decimal_places=6))


def with_standing_join(qs: QuerySet[Deal], name: str = "standing_usd") -> QuerySet[Deal]:
    """Annotate ``name``: the same value as ``value_usd``, through a LEFT JOIN of the standing terms
    (one hash join) instead of a correlated subquery per deal: counting bands over 100,000 deals took
    0.9 s with the subquery, a tenth of that joined."""
    return qs.annotate(standing_terms=FilteredRelation("terms", condition=Q(terms__stands=True))).annotate(
        **{name: _usd_value("standing_terms__")}
    )


class NullsLastOrdering(django_filters.OrderingFilter):
    """``ordering`` with undated deals and undisclosed values last in either direction (PostgreSQL
    puts NULLs first when descending, SQLite when ascending: neither is what a reader expects)."""

    def get_ordering_value(self, param: str) -> Any:
        descending = param.startswith("-")
        field = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        if field in _NULLS_LAST:
            return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        return super().get_ordering_value(param)


def default_order() -> list[Any]:
    """The list's order without ``ordering``: newest first, undated last, then by title."""
    return [F("announced_on").desc(nulls_last=True), "title"]


def with_value_usd(qs: QuerySet[Deal], joined: bool = False) -> QuerySet[Deal]:
    """Annotate ``value_usd``: the standing total value (else upfront) in millions of USD, or None.

    As a correlated subquery by default: PostgreSQL computes it for the page's 50 rows only. With
    ``joined`` (a filter or the sort uses the value), through a LEFT JOIN of the standing terms (at
    most one per deal, a unique constraint, so no row repeats): sorting 100,000 deals by value took
    460 ms with the subquery, 60 ms joined, while the join costs the plain list 30 ms more.
    """
    if "value_usd" in qs.query.annotations:
        return qs
    if joined:
        return with_standing_join(qs, "value_usd")
    standing = DealTerms.objects.filter(deal=OuterRef("pk"), stands=True).annotate(v=_usd_value()).values("v")[:1]
    return qs.annotate(value_usd=Subquery(standing, output_field=DecimalField(max_digits=20, decimal_places=6)))


class DealFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    party = django_filters.CharFilter(method="filter_party", label="Party (company name, alias or slug)")
    role = django_filters.MultipleChoiceFilter(choices=DealRole.choices, method="filter_role", label="Role")
    asset = django_filters.CharFilter(method="filter_asset", label="Asset code or name")
    target = django_filters.CharFilter(method="filter_target", label="Target symbol or alias")
    pair = django_filters.CharFilter(method="filter_pair", label="Target pair, e.g. EGFR-ERBB3")
    # distinct=False: a column of the deal itself cannot repeat a row, and SELECT DISTINCT over every
    # column (value_usd included) made the kind=licence list and its count 130 ms each at 100,000 deals
    kind = django_filters.MultipleChoiceFilter(choices=DealKind.choices, distinct=False)
    territory = django_filters.CharFilter(field_name="territory", lookup_expr="icontains")
    year = django_filters.MultipleChoiceFilter(choices=_YEARS, method="filter_year", label="Announced year")
    size = django_filters.MultipleChoiceFilter(choices=SIZE_BANDS, method="filter_size", label="Deal size (M USD)")
    year_min = django_filters.NumberFilter(field_name="announced_on__year", lookup_expr="gte", label="From year")
    year_max = django_filters.NumberFilter(field_name="announced_on__year", lookup_expr="lte", label="To year")
    value_min = django_filters.NumberFilter(field_name="value_usd", lookup_expr="gte", label="Value ≥ (M USD)")
    value_max = django_filters.NumberFilter(field_name="value_usd", lookup_expr="lte", label="Value ≤ (M USD)")
    status = django_filters.MultipleChoiceFilter(choices=DealStatus.choices, distinct=False)
    ordering = NullsLastOrdering(fields=ORDERING_FIELDS)

    class Meta:
        model = Deal
        fields = [
            "q", "party", "role", "asset", "target", "pair", "kind", "territory", "year", "year_min", "year_max",
            "size", "value_min", "value_max", "status",
        ]

    def filter_queryset(self, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
        """Filter, then make the order total (``pk`` last) so pages and exports agree row for row."""
        uses_value = any(self.data.get(k) for k in ("value_min", "value_max", "size")) or any(
            "value" in o for o in self.data.getlist("ordering") if hasattr(self.data, "getlist"))
        qs = super().filter_queryset(with_value_usd(queryset, joined=uses_value))
        order = list(qs.query.order_by) or default_order()
        if "pk" not in order and "-pk" not in order:
            order.append("pk")
        return qs.order_by(*order)

    def filter_year(self, qs: QuerySet[Deal], name: str, value: list[str]) -> QuerySet[Deal]:
        if not value:
            return qs
        years = [int(v) for v in value if v != UNDATED]
        match = Q(announced_on__year__in=years) if years else Q(pk__in=[])
        if UNDATED in value:
            match |= Q(announced_on__isnull=True)
        return qs.filter(match)

    def filter_size(self, qs: QuerySet[Deal], name: str, value: list[str]) -> QuerySet[Deal]:
        if not value:
            return qs
        match = Q(pk__in=[])
        for band in value:
            match |= _band_q(band)  # on value_usd, joined by filter_queryset
        return qs.filter(match)

    def _roles(self) -> list[str]:
        return list(self.form.cleaned_data.get("role") or [])

    def filter_party(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        """Deals with this company as a party; with ``role``, in one of those roles (same party row)."""
        key = normalize_name(value)
        company = (
            Q(deal_parties__company__slug=value)
            | Q(deal_parties__company__name__iexact=value)
            | Q(deal_parties__company__aliases__normalized=key)
        )
        roles = self._roles()
        if roles:
            company &= Q(deal_parties__role__in=roles)
        return qs.filter(pk__in=Deal.objects.filter(company).values("pk"))

    def filter_role(self, qs: QuerySet[Deal], name: str, value: Any) -> QuerySet[Deal]:
        if not value or self.form.cleaned_data.get("party"):
            return qs  # combined with the party filter
        return qs.filter(pk__in=Deal.objects.filter(deal_parties__role__in=value).values("pk"))

    def filter_q(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        match = (
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(territory__icontains=value)
            | Q(deal_parties__company__name__icontains=value)
            | Q(assets__code__icontains=value)
        )
        return qs.filter(pk__in=Deal.objects.filter(match).values("pk"))

    def filter_asset(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        key = normalize_name(value)
        match = Q(assets__slug=value) | Q(assets__designations__normalized=key)
        return qs.filter(pk__in=Deal.objects.filter(match).values("pk"))

    def filter_target(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        key = normalize_name(value)
        match = Q(assets__asset_targets__target__normalized=key) | Q(
            assets__asset_targets__target__aliases__normalized=key
        )
        return qs.filter(pk__in=Deal.objects.filter(match).values("pk"))

    def filter_pair(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        a, _, b = value.upper().partition("-")
        match = Q(assets__target_pair__low__symbol__iexact=a, assets__target_pair__high__symbol__iexact=b) | Q(
            assets__target_pair__low__symbol__iexact=b, assets__target_pair__high__symbol__iexact=a
        )
        return qs.filter(pk__in=Deal.objects.filter(match).values("pk"))
