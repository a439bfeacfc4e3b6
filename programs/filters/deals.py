"""DealFilterSet: the one set of deal filters behind /deals/, /api/v1/deals/ and deal exports.

Parameter names are a contract shared with the API and the exports: party, role, asset, target,
pair, kind, territory, year_min, year_max, value_min, value_max, status, q, ordering.
Money filters and the ``value`` sort use the standing terms in millions of US dollars
(``value_usd``, annotated by ``with_value_usd``: one correlated subquery, no extra round trip).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
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


def with_value_usd(qs: QuerySet[Deal]) -> QuerySet[Deal]:
    """Annotate ``value_usd``: the standing total value (else upfront) in millions of USD, or None."""
    if "value_usd" in qs.query.annotations:
        return qs
    standing = (
        DealTerms.objects.filter(deal=OuterRef("pk"), stands=True)
        .annotate(
            v=ExpressionWrapper(
                Coalesce(F("total_value"), F("upfront")) * F("usd_per_unit"),
                output_field=DecimalField(max_digits=20, decimal_places=6),
            )
        )
        .values("v")[:1]
    )
    return qs.annotate(value_usd=Subquery(standing, output_field=DecimalField(max_digits=20, decimal_places=6)))


class DealFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    party = django_filters.CharFilter(method="filter_party", label="Party (company name, alias or slug)")
    role = django_filters.MultipleChoiceFilter(choices=DealRole.choices, method="filter_role", label="Role")
    asset = django_filters.CharFilter(method="filter_asset", label="Asset code or name")
    target = django_filters.CharFilter(method="filter_target", label="Target symbol or alias")
    pair = django_filters.CharFilter(method="filter_pair", label="Target pair, e.g. EGFR-ERBB3")
    kind = django_filters.MultipleChoiceFilter(choices=DealKind.choices)
    territory = django_filters.CharFilter(field_name="territory", lookup_expr="icontains")
    year_min = django_filters.NumberFilter(field_name="announced_on__year", lookup_expr="gte", label="From year")
    year_max = django_filters.NumberFilter(field_name="announced_on__year", lookup_expr="lte", label="To year")
    value_min = django_filters.NumberFilter(field_name="value_usd", lookup_expr="gte", label="Value ≥ (M USD)")
    value_max = django_filters.NumberFilter(field_name="value_usd", lookup_expr="lte", label="Value ≤ (M USD)")
    status = django_filters.MultipleChoiceFilter(choices=DealStatus.choices)
    ordering = django_filters.OrderingFilter(fields=ORDERING_FIELDS)

    class Meta:
        model = Deal
        fields = [
            "q", "party", "role", "asset", "target", "pair", "kind", "territory", "year_min", "year_max",
            "value_min", "value_max", "status",
        ]

    def filter_queryset(self, queryset: QuerySet[Deal]) -> QuerySet[Deal]:
        """Filter, then make the order total (``pk`` last) so pages and exports agree row for row."""
        qs = super().filter_queryset(with_value_usd(queryset))
        order = list(qs.query.order_by) or list(Deal._meta.ordering)
        if "pk" not in order and "-pk" not in order:
            order.append("pk")
        return qs.order_by(*order)

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
