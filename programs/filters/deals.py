"""DealFilterSet: deal filters shared by /deals/, /api/v1/deals/ and deal exports.

Kept small on purpose (the deal-list page may extend it); parameter names are a contract:
party, role, asset, target, pair, kind, territory, year_min, year_max, value_min, value_max, status.
"""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet

from programs.filters.common import asset_q, pair_q, target_q
from programs.models import Deal, DealTerms
from programs.text import normalize_name
from programs.vocab import DealKind, DealRole, DealStatus


class DealFilterSet(django_filters.FilterSet):
    party = django_filters.CharFilter(method="filter_party", label="Party: company name, alias or slug")
    role = django_filters.ChoiceFilter(
        choices=DealRole.choices, method="filter_role", label="Role (of `party` when given)"
    )
    asset = django_filters.CharFilter(method="filter_asset", label="Asset: any designation")
    target = django_filters.CharFilter(method="filter_target", label="Target symbol or alias")
    pair = django_filters.CharFilter(method="filter_pair", label="Target pair, e.g. EGFR-ERBB3")
    kind = django_filters.MultipleChoiceFilter(choices=DealKind.choices)
    territory = django_filters.CharFilter(lookup_expr="icontains", label="Part of the territory text")
    year_min = django_filters.NumberFilter(
        field_name="announced_on__year", lookup_expr="gte", label="Announced from year"
    )
    year_max = django_filters.NumberFilter(
        field_name="announced_on__year", lookup_expr="lte", label="Announced to year"
    )
    value_min = django_filters.NumberFilter(method="filter_value", label="Standing total value >= (millions USD)")
    value_max = django_filters.NumberFilter(method="filter_value", label="Standing total value <= (millions USD)")
    status = django_filters.ChoiceFilter(choices=DealStatus.choices)

    class Meta:
        model = Deal
        fields = [
            "party", "role", "asset", "target", "pair", "kind", "territory", "year_min", "year_max",
            "value_min", "value_max", "status",
        ]

    def _party_q(self, value: str) -> Q:
        key = normalize_name(value)
        return (
            Q(deal_parties__company__name__iexact=value)
            | Q(deal_parties__company__slug=value.lower())
            | Q(deal_parties__company__aliases__normalized=key)
        )

    def filter_party(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        q = self._party_q(value)
        role = self.form.cleaned_data.get("role")
        if role:
            q &= Q(deal_parties__role=role)
        return qs.filter(pk__in=Deal.objects.filter(q).values("pk"))

    def filter_role(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        if self.form.cleaned_data.get("party"):
            return qs  # applied together with the party
        return qs.filter(pk__in=Deal.objects.filter(deal_parties__role=value).values("pk"))

    def filter_asset(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        return qs.filter(pk__in=Deal.objects.filter(asset_q("assets__", value)).values("pk"))

    def filter_target(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        return qs.filter(pk__in=Deal.objects.filter(target_q("assets__", value)).values("pk"))

    def filter_pair(self, qs: QuerySet[Deal], name: str, value: str) -> QuerySet[Deal]:
        return qs.filter(pk__in=Deal.objects.filter(pair_q("assets__", value)).values("pk"))

    def filter_value(self, qs: QuerySet[Deal], name: str, value: object) -> QuerySet[Deal]:
        lookup = "usd__gte" if name == "value_min" else "usd__lte"
        terms = DealTerms.objects.filter(stands=True, total_value__isnull=False).annotate(
            usd=F("total_value") * F("usd_per_unit")
        ).filter(**{lookup: value})
        return qs.filter(pk__in=terms.values("deal_id"))
