"""Django admin for milestones and clinical data."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from programs.admin_inputs import SafeRelatedInputsMixin

_ASSET_SEARCH = ["asset__code", "asset__designations__name"]


@admin.register(Milestone)
class MilestoneAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["asset", "kind", "phase", "agency", "status", "date", "date_precision", "trial_id"]
    list_filter = ["kind", "agency", "status", "phase", "date_precision"]
    search_fields = [*_ASSET_SEARCH, "trial_id"]
    autocomplete_fields = ["asset", "source", "indication"]
    list_select_related = ["asset"]
    date_hierarchy = "date"


@admin.register(SafetyEvent)
class SafetyEventAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["asset", "category", "term", "grade_band", "assessment", "incidence_percent", "n", "n_total"]
    list_filter = ["category", "grade_band", "assessment"]
    search_fields = [*_ASSET_SEARCH, "term", "study"]
    autocomplete_fields = ["asset", "source", "caused_hold"]
    list_select_related = ["asset"]


@admin.register(SafetyMeasure)
class SafetyMeasureAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["asset", "name", "value", "unit"]
    search_fields = [*_ASSET_SEARCH, "name"]
    autocomplete_fields = ["asset", "source"]


@admin.register(EfficacyReadout)
class EfficacyReadoutAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["asset", "endpoint", "value", "unit", "population", "dose_group", "n"]
    list_filter = ["endpoint", "line_of_therapy"]
    search_fields = [*_ASSET_SEARCH, "population", "study"]
    autocomplete_fields = ["asset", "source", "indication"]
    list_select_related = ["asset"]
