"""Viewsets of companies, targets, sources, assets, per-asset derived facts and deals.

Every list is filtered by the same FilterSet (and parameter names) as the HTML pages, ordered with
``?ordering=`` and paginated (cursor for assets; page numbers elsewhere, ``page_size`` up to 500).
Querysets select/prefetch everything the serializers read, so a page costs a fixed number of queries.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework import viewsets

from programs.api.base import (
    CodeCursorPagination,
    RolePermissions,
    StandardPagination,
    TrackedModelViewSet,
    crud_schema,
)
from programs.api.nested import attach
from programs.api.serializers import (
    AssetDerivedSerializer,
    AssetSerializer,
    CompanySerializer,
    DealSerializer,
    SourceSerializer,
    TargetSerializer,
)
from programs.filters import AssetFilterSet
from programs.filters.deals import DealFilterSet
from programs.models import Asset, Company, Deal, DealTerms, Source, Target


class CompanyFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the company name.")

    class Meta:
        model = Company
        fields = ["name", "kind", "country"]


class TargetFilterSet(django_filters.FilterSet):
    symbol = django_filters.CharFilter(lookup_expr="iexact", help_text="HGNC symbol.")

    class Meta:
        model = Target
        fields = ["symbol"]


class SourceFilterSet(django_filters.FilterSet):
    url = django_filters.CharFilter(help_text="Exact URL.")
    publisher = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Source
        fields = ["url", "publisher"]


@extend_schema_view(**crud_schema("company", CompanySerializer))
class CompanyViewSet(TrackedModelViewSet):
    queryset = Company.objects.prefetch_related("aliases").order_by("name")
    serializer_class = CompanySerializer
    filterset_class = CompanyFilterSet
    ordering_fields = ["name", "id", "updated_at"]
    ordering = ["name"]


@extend_schema_view(**crud_schema("target", TargetSerializer))
class TargetViewSet(TrackedModelViewSet):
    queryset = Target.objects.select_related("parent").prefetch_related("aliases").order_by("symbol")
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    ordering_fields = ["symbol", "id"]
    ordering = ["symbol"]


@extend_schema_view(**crud_schema("source", SourceSerializer))
class SourceViewSet(TrackedModelViewSet):
    queryset = Source.objects.order_by("-published_on", "id")
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    ordering_fields = ["published_on", "id"]
    ordering = ["-published_on", "id"]


def asset_queryset() -> QuerySet[Asset]:
    """Assets with their originator and pair; the nested parts come from ``programs.api.nested``."""
    return Asset.objects.select_related("originator", "target_pair__low", "target_pair__high")


@extend_schema_view(**crud_schema("asset", AssetSerializer))
class AssetViewSet(TrackedModelViewSet):
    """Assets, filtered exactly like /assets/ (``AssetFilterSet``: q, target, pair, ...)."""

    serializer_class = AssetSerializer
    filterset_class = AssetFilterSet
    pagination_class = CodeCursorPagination
    ordering_fields = ["code", "highest_phase_rank", "id"]
    ordering = ["code"]

    def get_queryset(self) -> QuerySet[Asset]:
        return asset_queryset()

    def paginate_queryset(self, queryset: QuerySet[Asset]) -> list[Asset] | None:
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach(page)  # five queries for the page's nested parts, not a prefetch per relation
        return page


_DERIVED_SCHEMA = crud_schema("asset's derived facts", AssetDerivedSerializer)


@extend_schema_view(list=_DERIVED_SCHEMA["list"], retrieve=_DERIVED_SCHEMA["retrieve"])
class AssetDerivedViewSet(viewsets.ReadOnlyModelViewSet):
    """Per-asset derived facts (highest phase, first IND per agency, ...), filtered like /assets/."""

    queryset = Asset.objects.select_related("target_pair__low", "target_pair__high").order_by("code")
    serializer_class = AssetDerivedSerializer
    permission_classes = [RolePermissions]
    pagination_class = StandardPagination
    filterset_class = AssetFilterSet
    ordering_fields = ["code", "highest_phase_rank", "latest_event_date", "first_dosed_on", "id"]
    ordering = ["code"]


@extend_schema_view(**crud_schema("deal", DealSerializer))
class DealViewSet(TrackedModelViewSet):
    """Deals, filtered with ``DealFilterSet`` (party, role, asset, target, pair, kind, ...)."""

    queryset = (
        Deal.objects.select_related("source")
        .prefetch_related(
            "deal_parties__company", "assets", Prefetch("terms", queryset=DealTerms.objects.select_related("source"))
        )
        .order_by("-announced_on", "id")
    )
    serializer_class = DealSerializer
    filterset_class = DealFilterSet
    ordering_fields = ["announced_on", "title", "id"]
    ordering = ["-announced_on", "id"]


__all__ = [
    "AssetDerivedViewSet", "AssetViewSet", "CompanyViewSet", "DealViewSet", "SourceViewSet", "TargetViewSet",
]
