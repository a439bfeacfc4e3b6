"""Editor views for milestones, safety events and efficacy readouts, and the quick-entry form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from milestones.forms import (
    EfficacyReadoutForm,
    MarkOccurredForm,
    MilestoneForm,
    QuickMilestoneForm,
    SafetyEventForm,
    upsert_source,
)
from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from programs.editing.versions import VersionConflict, save_if_unchanged
from programs.models import AssetDesignation
from programs.views.edit.generic import (
    RecordCreateView,
    RecordDeleteView,
    RecordHistoryView,
    RecordRestoreView,
    RecordUpdateView,
)


@permission_required("milestones.add_milestone", raise_exception=True)
def quick_milestone(request: HttpRequest) -> HttpResponse:
    """Record a regulatory event in one keyboard pass; redirects to the asset page on success.

    Queries: one for the datalist of designations, a handful to validate and save.
    """
    form = QuickMilestoneForm(request.POST or None, initial={"asset": request.GET.get("asset", "")})
    if request.method == "POST" and form.is_valid():
        milestone = form.save()
        for note in form.notes:
            messages.info(request, note)
        messages.success(request, f"Recorded {milestone}.")
        return HttpResponseRedirect(milestone.asset.get_absolute_url())
    names = AssetDesignation.objects.order_by("name").values_list("name", flat=True)
    return render(request, "milestones/quick_milestone.html", {"form": form, "asset_names": names})


@permission_required("milestones.change_milestone", raise_exception=True)
def quick_mark_occurred(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a planned milestone occurred on its actual date; the planned date stays for the slip."""
    milestone = get_object_or_404(Milestone.objects.select_related("asset", "source"), pk=pk)
    form = MarkOccurredForm(request.POST or None, milestone=milestone)
    if request.method == "POST" and form.is_valid():
        url = form.cleaned_data.get("source_url")
        try:
            with transaction.atomic():
                if url:
                    milestone.source = upsert_source(url)
                save_if_unchanged(milestone, form.cleaned_data["version"])
        except VersionConflict as conflict:
            form.add_error(None, conflict.message)
        else:
            slip = milestone.slip_days
            extra = f" ({slip:+d} days from plan)" if slip else ""
            messages.success(request, f"Marked {milestone} occurred{extra}.")
            return HttpResponseRedirect(milestone.asset.get_absolute_url())
    return render(request, "milestones/mark_occurred.html", {"form": form, "milestone": milestone})


class MilestoneCreateView(RecordCreateView):
    model, form_class = Milestone, MilestoneForm


class MilestoneEditView(RecordUpdateView):
    model, form_class = Milestone, MilestoneForm


class MilestoneDeleteView(RecordDeleteView):
    model = Milestone


class MilestoneHistoryView(RecordHistoryView):
    model = Milestone


class MilestoneRestoreView(RecordRestoreView):
    model = Milestone


class SafetyEventCreateView(RecordCreateView):
    model, form_class = SafetyEvent, SafetyEventForm


class SafetyEventEditView(RecordUpdateView):
    model, form_class = SafetyEvent, SafetyEventForm


class SafetyEventDeleteView(RecordDeleteView):
    model = SafetyEvent


class SafetyEventHistoryView(RecordHistoryView):
    model = SafetyEvent


class SafetyEventRestoreView(RecordRestoreView):
    model = SafetyEvent


class EfficacyReadoutCreateView(RecordCreateView):
    model, form_class = EfficacyReadout, EfficacyReadoutForm


class EfficacyReadoutEditView(RecordUpdateView):
    model, form_class = EfficacyReadout, EfficacyReadoutForm


class EfficacyReadoutDeleteView(RecordDeleteView):
    model = EfficacyReadout


class EfficacyReadoutHistoryView(RecordHistoryView):
    model = EfficacyReadout


class EfficacyReadoutRestoreView(RecordRestoreView):
    model = EfficacyReadout
