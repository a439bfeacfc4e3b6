"""AssetFilterSet: the one set of asset filters behind /assets/, /api/v1/assets/ and asset exports.

Foundation stub: the analyst issue extends it (facets, search). Parameter names are a contract.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from programs.models import Asset
from programs.text import normalize_name
from programs.vocab import AntibodyFormat, ConjugationMethod, Phase


class AssetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search")
    target = django_filters.CharFilter(method="filter_target", label="Target symbol or alias")
    pair = django_filters.CharFilter(method="filter_pair", label="Target pair, e.g. EGFR-ERBB3")
    antibody_format = django_filters.MultipleChoiceFilter(choices=AntibodyFormat.choices)
    conjugation_method = django_filters.MultipleChoiceFilter(choices=ConjugationMethod.choices)
    highest_phase = django_filters.MultipleChoiceFilter(choices=Phase.choices)

    class Meta:
        model = Asset
        fields = ["q", "target", "pair", "antibody_format", "conjugation_method", "highest_phase"]

    def filter_q(self, qs: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        key = normalize_name(value)
        return qs.filter(Q(designations__normalized__contains=key) | Q(search_text__icontains=value)).distinct()

    def filter_target(self, qs: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        key = normalize_name(value)
        return qs.filter(
            Q(asset_targets__target__normalized=key) | Q(asset_targets__target__aliases__normalized=key)
        ).distinct()

    def filter_pair(self, qs: QuerySet[Asset], name: str, value: str) -> QuerySet[Asset]:
        a, _, b = value.partition("-")
        return qs.filter(
            Q(target_pair__low__symbol__iexact=a, target_pair__high__symbol__iexact=b)
            | Q(target_pair__low__symbol__iexact=b, target_pair__high__symbol__iexact=a)
        )
