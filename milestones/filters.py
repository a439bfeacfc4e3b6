"""FilterSets of milestones, safety events and efficacy readouts (HTML lists, API and exports).

``asset`` matches any designation (``?asset=BL-B01D1`` or ``?asset=iza-bren``); ``target`` and
``pair`` use the rules of ``AssetFilterSet``.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from milestones.vocab import (
    Agency,
    Assessment,
    EfficacyUnit,
    Endpoint,
    GradeBand,
    MilestoneKind,
    MilestoneStatus,
    SafetyCategory,
)
from programs.filters.common import asset_q, pair_q, target_q
from programs.vocab import Phase


class AssetScopedFilterSet(django_filters.FilterSet):
    """asset / target / pair filters for any model with an ``asset`` foreign key."""

    asset = django_filters.CharFilter(method="filter_asset", label="Asset: any designation, e.g. BL-B01D1")
    target = django_filters.CharFilter(method="filter_target", label="Target symbol or alias")
    pair = django_filters.CharFilter(method="filter_pair", label="Target pair, e.g. EGFR-ERBB3")

    def _scoped(self, qs: QuerySet, q: object) -> QuerySet:
        model = qs.model
        return qs.filter(asset_id__in=model._meta.get_field("asset").related_model.objects.filter(q).values("pk"))

    def filter_asset(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return self._scoped(qs, asset_q("", value))

    def filter_target(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return self._scoped(qs, target_q("", value))

    def filter_pair(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return self._scoped(qs, pair_q("", value))


class MilestoneFilterSet(AssetScopedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=MilestoneKind.choices)
    agency = django_filters.MultipleChoiceFilter(choices=[c for c in Agency.choices if c[0]])
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices)
    status = django_filters.MultipleChoiceFilter(choices=MilestoneStatus.choices)
    date_min = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="On or after (YYYY-MM-DD)")
    date_max = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="On or before (YYYY-MM-DD)")
    trial_id = django_filters.CharFilter(label="Registry id, e.g. NCT12345678")

    class Meta:
        model = Milestone
        fields = ["asset", "target", "pair", "kind", "agency", "phase", "status", "date_min", "date_max", "trial_id"]


class SafetyEventFilterSet(AssetScopedFilterSet):
    category = django_filters.MultipleChoiceFilter(choices=SafetyCategory.choices)
    grade_band = django_filters.MultipleChoiceFilter(choices=GradeBand.choices)
    assessment = django_filters.MultipleChoiceFilter(choices=Assessment.choices)
    term = django_filters.CharFilter(lookup_expr="icontains", label="Part of the reported term")

    class Meta:
        model = SafetyEvent
        fields = ["asset", "target", "pair", "category", "grade_band", "assessment", "term"]


class EfficacyReadoutFilterSet(AssetScopedFilterSet):
    endpoint = django_filters.MultipleChoiceFilter(choices=Endpoint.choices)
    unit = django_filters.MultipleChoiceFilter(choices=EfficacyUnit.choices)
    indication = django_filters.CharFilter(field_name="indication__name", lookup_expr="iexact", label="Indication name")

    class Meta:
        model = EfficacyReadout
        fields = ["asset", "target", "pair", "endpoint", "unit", "indication"]
