"""Django admin for programmes: every model, searchable by any designation, with history."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from programs.admin_inputs import SafeRelatedInputsMixin
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    CompanyAlias,
    Deal,
    DealParty,
    DealTerms,
    Indication,
    JobRun,
    Payload,
    Platform,
    Source,
    Statistic,
    StatisticGroup,
    Target,
    TargetAlias,
    TargetPair,
)


class DesignationInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = AssetDesignation
    extra = 1


class AssetTargetInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = AssetTarget
    extra = 1
    autocomplete_fields = ["target"]


class AssetPayloadInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = AssetPayload
    extra = 1
    autocomplete_fields = ["payload"]


class MilestoneInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["kind", "agency", "phase", "status", "date", "date_precision", "trial_id", "source"]
    autocomplete_fields = ["source"]


class SafetyEventInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = SafetyEvent
    extra = 0
    fields = ["category", "term", "grade_band", "assessment", "incidence_percent", "n", "n_total", "source"]
    autocomplete_fields = ["source"]


class EfficacyInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = EfficacyReadout
    extra = 0
    fields = ["endpoint", "value", "unit", "population", "dose_group", "n", "source"]
    autocomplete_fields = ["source"]


@admin.register(Asset)
class AssetAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["code", "inn", "originator", "antibody_format", "conjugation_method", "highest_phase", "status"]
    list_filter = ["status", "antibody_format", "conjugation_method", "masked", "linker_cleavable", "highest_phase"]
    search_fields = ["code", "inn", "designations__name", "originator__name", "targets__symbol"]
    prepopulated_fields = {"slug": ["code"]}
    autocomplete_fields = ["originator", "sources", "masking_platform", "conjugation_platform"]
    filter_horizontal = ["indications"]
    readonly_fields = [
        "target_pair", "highest_phase", "current_phase", "latest_milestone", "latest_event_date", "first_ind",
        "first_dosed_on", "ind_to_dosing_days", "derived_at", "version",
    ]
    inlines = [DesignationInline, AssetTargetInline, AssetPayloadInline, MilestoneInline, SafetyEventInline,
               EfficacyInline]
    list_select_related = ["originator"]


class CompanyAliasInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = CompanyAlias
    extra = 1


class PlatformInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = Platform
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(Company)
class CompanyAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CompanyAliasInline, PlatformInline]
    autocomplete_fields = ["sources"]


@admin.register(Platform)
class PlatformAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["name", "company", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "company__name"]
    autocomplete_fields = ["company", "source"]


class TargetAliasInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = TargetAlias
    extra = 1


@admin.register(Target)
class TargetAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["symbol", "name", "parent"]
    search_fields = ["symbol", "name", "aliases__name"]
    prepopulated_fields = {"slug": ["symbol"]}
    inlines = [TargetAliasInline]
    autocomplete_fields = ["parent"]


@admin.register(TargetPair)
class TargetPairAdmin(SafeRelatedInputsMixin, admin.ModelAdmin):
    list_display = ["__str__"]
    search_fields = ["low__symbol", "high__symbol"]
    list_select_related = ["low", "high"]


@admin.register(Payload)
class PayloadAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["name", "payload_class", "mechanism"]
    list_filter = ["payload_class"]
    search_fields = ["name", "aliases", "mechanism"]


@admin.register(Indication)
class IndicationAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    search_fields = ["name"]


@admin.register(Source)
class SourceAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    list_filter = ["publisher"]
    search_fields = ["title", "url", "publisher"]
    date_hierarchy = "published_on"


class DealPartyInline(SafeRelatedInputsMixin, admin.TabularInline):
    model = DealParty
    extra = 1
    autocomplete_fields = ["company"]


class DealTermsInline(SafeRelatedInputsMixin, admin.StackedInline):
    model = DealTerms
    extra = 0
    autocomplete_fields = ["source"]


@admin.register(Deal)
class DealAdmin(SafeRelatedInputsMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "announced_on", "territory", "status"]
    list_filter = ["kind", "status", "announced_precision"]
    search_fields = ["title", "parties__name", "assets__code", "assets__designations__name"]
    autocomplete_fields = ["assets", "source", "platform"]
    inlines = [DealPartyInline, DealTermsInline]
    date_hierarchy = "announced_on"


@admin.register(JobRun)
class JobRunAdmin(SafeRelatedInputsMixin, admin.ModelAdmin):
    """Celery job records: read-only, for admins."""

    list_display = ["task_name", "status", "started_at", "finished_at", "rows", "args"]
    list_filter = ["status", "task_name"]
    search_fields = ["task_name", "task_id", "error"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Statistic)
class StatisticAdmin(SafeRelatedInputsMixin, admin.ModelAdmin):
    list_display = ["group", "key", "value", "records", "computed_at"]
    list_filter = ["group"]
    search_fields = ["key"]
    readonly_fields = ["group", "key", "value", "records", "meta", "computed_at"]


@admin.register(StatisticGroup)
class StatisticGroupAdmin(SafeRelatedInputsMixin, admin.ModelAdmin):
    list_display = ["group", "dirty", "dirty_since", "last_edit_at", "computed_at"]
    list_filter = ["dirty"]
    readonly_fields = ["group", "dirty", "dirty_since", "last_edit_at", "computed_at"]
