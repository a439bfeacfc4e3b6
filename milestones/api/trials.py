"""/api/v1/trials/: trials with their registry ids, arms and interventions, assets, sponsor and dates.

Read-only: a trial is written by the trials CSV import (``import_csv trials``), the ClinicalTrials.gov
import and sync, and the admin, which keep its nested parts (registry ids, arms) consistent; a nested
write API would need its own conflict rules and is not offered. Viewers read (``milestones.view_trial``).
Filters are ``TrialFilterSet``'s, the trial list page's (asset, status, phase, sponsor); cursor-paginated
by id like the other large lists. Dates are written as the milestones API writes them: the period's
first day (ISO 8601) and its precision, plus whether the date is actual or estimated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers, viewsets

from milestones.api.trial_nested import attach, nested
from milestones.filters import TrialFilterSet
from milestones.models import Trial, TrialArm, TrialIntervention, TrialRegistryId
from milestones.vocab import TrialPhase
from programs.api.base import IdCursorPagination, RolePermissions, crud_schema
from programs.api.fast import Step, build_plan
from programs.models import Asset, Company


class TrialRegistryIdSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrialRegistryId
        fields = ["registry", "value"]
        extra_kwargs = {"value": {"help_text": "The id in its canonical spelling, e.g. NCT03734029."}}


class TrialAssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["id", "code", "slug"]


class TrialCompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "name", "slug"]


class TrialInterventionSerializer(serializers.ModelSerializer):
    asset = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="Code of the tracked asset this intervention is, else null.",
    )

    class Meta:
        model = TrialIntervention
        fields = ["name", "role", "asset"]
        extra_kwargs = {"role": {"help_text": "asset (this asset), partner (combination), comparator or placebo."}}


class TrialArmSerializer(serializers.ModelSerializer):
    interventions = TrialInterventionSerializer(many=True, read_only=True)
    regimen = serializers.SerializerMethodField(help_text='The interventions in order: "EV + pembrolizumab".')

    class Meta:
        model = TrialArm
        fields = ["label", "arm_type", "description", "regimen", "interventions"]

    def get_regimen(self, obj: TrialArm) -> str:
        return obj.regimen


DATE_HELP = "First day of the period, ISO 8601; see the matching _precision and _type."
PRECISION_HELP = "Precision of the date: day, month, quarter, half, year or unknown."
TYPE_HELP = "ACTUAL (happened) or ESTIMATED (anticipated); empty when no date."


#: The nested fields ``milestones.api.trial_nested`` reads for a whole page (declared below for the schema).
NESTED_PARTS = ("registry_ids", "collaborators", "conditions", "assets", "arms")


def _part(name: str) -> Callable[[Trial], Any]:
    def step(trial: Trial) -> Any:
        return nested(trial)[name]

    return step


def _lead_sponsor(trial: Trial) -> dict[str, Any] | None:
    # What TrialCompanySerializer prints, without a nested serializer call per trial.
    company = trial.lead_sponsor
    return None if company is None else {"id": company.pk, "name": company.name, "slug": company.slug}


# The declared nested serializers describe the output (the OpenAPI schema, and DRF's own path that
# tests/api/test_api_trials_fast.py compares with); the representation reads the nested parts as plain
# dicts from trial_nested and the other fields through programs.api.fast's plan. Neither a docstring
# nor FastRepresentationMixin (whose docstring is inherited): either would become the schema's
# description of Trial.
class TrialSerializer(serializers.ModelSerializer):
    registry_ids = TrialRegistryIdSerializer(many=True, read_only=True)
    phases = serializers.ListField(
        child=serializers.ChoiceField(choices=TrialPhase.choices),
        read_only=True,
        help_text="Registry phases (EARLY_PHASE1 ... PHASE4, NA); empty when none.",
    )
    countries = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Country names as the registry lists them."
    )
    lead_sponsor = TrialCompanySerializer(read_only=True, allow_null=True)
    collaborators = TrialCompanySerializer(many=True, read_only=True)
    conditions = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="Indication names, all the registry lists."
    )
    assets = TrialAssetSerializer(many=True, read_only=True)
    arms = TrialArmSerializer(many=True, read_only=True)
    source = serializers.SlugRelatedField(
        slug_field="url", read_only=True, allow_null=True, help_text="URL of the record the trial was read from."
    )

    class Meta:
        model = Trial
        fields = [
            "id",
            "registry_ids",
            "acronym",
            "title",
            "phases",
            "study_type",
            "overall_status",
            "why_stopped",
            "lead_sponsor",
            "collaborators",
            "conditions",
            "countries",
            "enrollment",
            "enrollment_type",
            "start_date",
            "start_precision",
            "start_type",
            "primary_completion_date",
            "primary_completion_precision",
            "primary_completion_type",
            "completion_date",
            "completion_precision",
            "completion_type",
            "assets",
            "arms",
            "source",
            "synced_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        extra_kwargs: dict[str, dict[str, Any]] = {
            **{f"{d}_date": {"help_text": DATE_HELP} for d in ("start", "primary_completion", "completion")},
            **{f"{d}_precision": {"help_text": PRECISION_HELP} for d in ("start", "primary_completion", "completion")},
            **{f"{d}_type": {"help_text": TYPE_HELP} for d in ("start", "primary_completion", "completion")},
            "enrollment_type": {"help_text": "ACTUAL or ESTIMATED (anticipated)."},
            "why_stopped": {"help_text": "Why a terminated, suspended or withdrawn study stopped."},
        }

    _plan: list[Step] | None = None

    def to_representation(self, instance: Trial) -> dict[str, Any]:
        # One plan per serializer instance (the list's child serves every row of a page).
        plan = self._plan
        if plan is None:
            steps = dict(build_plan(self))  # in field order; the replacements keep their place
            for name in NESTED_PARTS:
                steps[name] = _part(name)
            steps["lead_sponsor"] = _lead_sponsor
            plan = self._plan = list(steps.items())
        return {name: step(instance) for name, step in plan}


_SCHEMA = crud_schema("trial", TrialSerializer)


@extend_schema_view(list=_SCHEMA["list"], retrieve=_SCHEMA["retrieve"])
class TrialViewSet(viewsets.ReadOnlyModelViewSet):
    """Trials, filtered like /trials/ (``TrialFilterSet``: asset, status, phase, sponsor). Read-only."""

    # The nested parts come from ``trial_nested`` (five queries a page), not from prefetches.
    queryset = Trial.objects.select_related("lead_sponsor", "source").order_by("id")
    serializer_class = TrialSerializer
    permission_classes = [RolePermissions]
    pagination_class = IdCursorPagination
    filterset_class = TrialFilterSet
    ordering_fields = ["id"]
    ordering = ["id"]

    def paginate_queryset(self, queryset: QuerySet[Trial]) -> list[Trial] | None:
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach(page)
        return page


__all__ = ["TrialSerializer", "TrialViewSet"]
