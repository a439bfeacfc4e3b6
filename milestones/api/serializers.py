"""Serializers of milestones, safety events and efficacy readouts.

Relations read as natural keys (asset code, source URL, indication name) and write as ids or natural
keys. Validation runs the models' ``clean()`` (IND order, no future occurred events, n <= N, ...);
a duplicate milestone is a 409 naming the record that exists.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, normalize_registry_id
from programs.api.base import ModelCleanMixin
from programs.api.errors import Conflict
from programs.api.fields import AssetKeyField, IndicationKeyField, SourceKeyField
from programs.vocab import DatePrecision

PRECISION_HELP = "Precision of the date: day, month, quarter, half, year or unknown (date is the period's first day)."
COMMON_RO = ["version", "created_at", "updated_at"]


class HistoryUserMixin:
    """Attribute the history row of every API save to the request's user (session or token)."""

    def create(self, validated_data: dict[str, Any]) -> Any:
        instance = self.Meta.model(**validated_data)  # type: ignore[attr-defined]
        instance._history_user = self.context["request"].user  # type: ignore[attr-defined]
        instance.save()
        return instance

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        for key, value in validated_data.items():
            setattr(instance, key, value)
        instance._history_user = self.context["request"].user
        instance.save()
        return instance


class MilestoneSerializer(HistoryUserMixin, ModelCleanMixin, serializers.ModelSerializer):
    asset = AssetKeyField(help_text="Asset: id or any designation (read as its code).")
    source = SourceKeyField(help_text="Source: id or URL (read as URL).")
    indication = IndicationKeyField(required=False, allow_null=True, help_text="Indication: id or name.")
    planned_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, allow_blank=True, read_only=True,
        help_text="Precision of planned_date (the plan as first announced); empty when never planned.",
    )
    trial = serializers.PrimaryKeyRelatedField(
        source="trial_record", read_only=True, allow_null=True,
        help_text="The trial record (/api/v1/trials/{id}/) holding trial_id; null until one is tracked.",
    )

    class Meta:
        model = Milestone
        fields = [
            "id", "asset", "kind", "agency", "phase", "status", "date", "date_precision", "planned_date",
            "planned_precision", "indication", "approval_type", "outcome", "hold_type", "reason", "lifts", "trial_id",
            "trial", "source", "notes", *COMMON_RO,
        ]
        read_only_fields = ["planned_date", "planned_precision", *COMMON_RO]
        validators: list[object] = []  # duplicates: 409 from validate(), naming the existing record
        extra_kwargs = {
            "date": {"help_text": "First day of the period the event happened (or is planned) in, ISO 8601."},
            "date_precision": {"help_text": PRECISION_HELP},
            "agency": {"help_text": "Regulator; empty for company events."},
            "phase": {"help_text": "Development phase, for phase starts and first dosing."},
            "trial_id": {"help_text": "Registry id (any case): NCT12345678, CTR20251234, ChiCTR..., EudraCT, jRCT."},
            "approval_type": {"help_text": "Approvals and label expansions: full, accelerated or conditional."},
            "outcome": {"help_text": "Advisory committee: favourable, unfavourable, split; CHMP: positive, negative."},
            "hold_type": {"help_text": "Clinical holds: full or partial."},
            "lifts": {"help_text": "Hold lifted: id of the clinical hold it lifts."},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The natural key (the model's constraint): two approvals on one day for two indications are two.
        keys = ("asset", "kind", "agency", "indication", "phase", "trial_id", "date")
        current = {f: getattr(self.instance, f) for f in keys} if self.instance else {}
        merged = {**{"agency": "", "phase": "", "trial_id": "", "indication": None, "date": None}, **current, **attrs}
        if merged.get("asset") is not None and merged.get("kind"):
            try:
                trial_id = normalize_registry_id(merged["trial_id"])[1] if merged["trial_id"] else ""
            except ValueError:
                trial_id = merged["trial_id"]  # clean() reports it beside the field
            dup = (
                Milestone.objects.filter(
                    asset=merged["asset"], kind=merged["kind"], agency=merged["agency"], phase=merged["phase"],
                    indication=merged["indication"], trial_id=trial_id, date=merged["date"],
                )
                .exclude(pk=getattr(self.instance, "pk", None))
                .first()
            )
            if dup is not None:
                raise Conflict(f"The same event is already recorded: milestone {dup.pk} ({dup}).")
        return super().validate(attrs)


class StudySerializerBase(HistoryUserMixin, ModelCleanMixin, serializers.ModelSerializer):
    asset = AssetKeyField(help_text="Asset: id or any designation (read as its code).")
    source = SourceKeyField(help_text="Source: id or URL (read as URL).")

    study_fields = ["id", "asset", "study", "data_cutoff", "data_cutoff_precision", "population", "source"]
    study_kwargs = {
        "data_cutoff": {"help_text": "Data cut-off: first day of the period, ISO 8601."},
        "data_cutoff_precision": {"help_text": PRECISION_HELP},
        "study": {"help_text": "Study name or registry id."},
    }


class SafetyEventSerializer(StudySerializerBase):
    class Meta:
        model = SafetyEvent
        fields = [
            *StudySerializerBase.study_fields, "category", "term", "grade_band", "grade", "max_grade", "assessment",
            "incidence_percent", "n", "n_total", "dose_group", "caused_hold", *COMMON_RO,
        ]
        read_only_fields = COMMON_RO
        extra_kwargs = {
            **StudySerializerBase.study_kwargs,
            "incidence_percent": {"help_text": "Incidence in percent of patients, 0-100; null when not assessed."},
            "n": {"help_text": "Patients with the event (count)."},
            "n_total": {"help_text": "Patients assessed (count, > 0)."},
            "grade": {"help_text": "CTCAE grade 1-5, for a single-grade figure."},
            "max_grade": {"help_text": "Highest CTCAE grade seen (1-5)."},
            "assessment": {"help_text": "reported, not_assessed (not 0 %) or not_reported."},
            "caused_hold": {"help_text": "Id of the clinical-hold milestone this finding caused."},
        }


class EfficacyReadoutSerializer(StudySerializerBase):
    indication = IndicationKeyField(required=False, allow_null=True, help_text="Indication: id or name.")

    class Meta:
        model = EfficacyReadout
        fields = [
            *StudySerializerBase.study_fields, "endpoint", "endpoint_label", "value", "unit", "ci_low", "ci_high",
            "indication", "dose_group", "line_of_therapy", "n", *COMMON_RO,
        ]
        read_only_fields = COMMON_RO
        extra_kwargs = {
            **StudySerializerBase.study_kwargs,
            "value": {"help_text": "The figure, in `unit` (percent 0-100, months, weeks)."},
            "unit": {"help_text": "Unit of value, ci_low and ci_high."},
            "ci_low": {"help_text": "Lower 95 % confidence bound, in `unit`."},
            "ci_high": {"help_text": "Upper 95 % confidence bound, in `unit`."},
            "n": {"help_text": "Patients evaluated (count)."},
        }
