"""Editor views for companies, assets, sources and deals (URL names ``<model>_add/_edit/_delete/...``)."""

from __future__ import annotations

from programs.forms.records import (
    AssetForm,
    CompanyAliasFormSet,
    CompanyForm,
    DealForm,
    DealPartyFormSet,
    DealTermsFormSet,
    DesignationFormSet,
    SourceForm,
)
from programs.models import Asset, Company, Deal, Source
from programs.views.edit.generic import (
    RecordCreateView,
    RecordDeleteView,
    RecordHistoryView,
    RecordRestoreView,
    RecordUpdateView,
)


class CompanyCreateView(RecordCreateView):
    model, form_class, formset_classes = Company, CompanyForm, {"aliases": CompanyAliasFormSet}


class CompanyEditView(RecordUpdateView):
    model, form_class, formset_classes = Company, CompanyForm, {"aliases": CompanyAliasFormSet}


class CompanyDeleteView(RecordDeleteView):
    model = Company


class CompanyHistoryView(RecordHistoryView):
    model = Company


class CompanyRestoreView(RecordRestoreView):
    model = Company


class AssetCreateView(RecordCreateView):
    model, form_class, formset_classes = Asset, AssetForm, {"designations": DesignationFormSet}


class AssetEditView(RecordUpdateView):
    model, form_class, formset_classes = Asset, AssetForm, {"designations": DesignationFormSet}


class AssetDeleteView(RecordDeleteView):
    model = Asset


class AssetHistoryView(RecordHistoryView):
    model = Asset


class AssetRestoreView(RecordRestoreView):
    model = Asset


class SourceCreateView(RecordCreateView):
    model, form_class = Source, SourceForm


class SourceEditView(RecordUpdateView):
    model, form_class = Source, SourceForm


class SourceDeleteView(RecordDeleteView):
    model = Source


class SourceHistoryView(RecordHistoryView):
    model = Source


class SourceRestoreView(RecordRestoreView):
    model = Source


_DEAL_FORMSETS = {"parties": DealPartyFormSet, "terms": DealTermsFormSet}


class DealCreateView(RecordCreateView):
    model, form_class, formset_classes = Deal, DealForm, _DEAL_FORMSETS


class DealEditView(RecordUpdateView):
    model, form_class, formset_classes = Deal, DealForm, _DEAL_FORMSETS


class DealDeleteView(RecordDeleteView):
    model = Deal


class DealHistoryView(RecordHistoryView):
    model = Deal


class DealRestoreView(RecordRestoreView):
    model = Deal
