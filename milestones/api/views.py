"""Viewsets of milestones, safety events and efficacy readouts (cursor pagination for the large two)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view

from milestones.api.serializers import EfficacyReadoutSerializer, MilestoneSerializer, SafetyEventSerializer
from milestones.filters import EfficacyReadoutFilterSet, MilestoneFilterSet, SafetyEventFilterSet
from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from programs.api.base import IdCursorPagination, TrackedModelViewSet, crud_schema


@extend_schema_view(**crud_schema("milestone", MilestoneSerializer))
class MilestoneViewSet(TrackedModelViewSet):
    queryset = Milestone.objects.select_related("asset", "source", "indication")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    pagination_class = IdCursorPagination
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]


@extend_schema_view(**crud_schema("safety event", SafetyEventSerializer))
class SafetyEventViewSet(TrackedModelViewSet):
    queryset = SafetyEvent.objects.select_related("asset", "source")
    serializer_class = SafetyEventSerializer
    filterset_class = SafetyEventFilterSet
    pagination_class = IdCursorPagination
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]


@extend_schema_view(**crud_schema("efficacy readout", EfficacyReadoutSerializer))
class EfficacyReadoutViewSet(TrackedModelViewSet):
    queryset = EfficacyReadout.objects.select_related("asset", "source", "indication").order_by("id")
    serializer_class = EfficacyReadoutSerializer
    filterset_class = EfficacyReadoutFilterSet
    ordering_fields = ["id", "value", "data_cutoff"]
    ordering = ["id"]
