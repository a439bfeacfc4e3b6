"""Attach a ClinicalTrials.gov study to an asset: fetched by NCT id when online, else an uploaded v2 JSON.

The study's trial, arms, ids and phase start are written in one transaction; the asset's derived facts
and the statistics are then recomputed once (``programs.derivation.queue.recompute_once``), not once per group flipped.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from programs.derivation.queue import recompute_once
from programs.forms.base import add_model_errors
from programs.io.ctgov import CtgovError, attach_study, fetch_study
from programs.validators import resolve_asset


class CtgovForm(forms.Form):
    asset = forms.CharField(help_text="Code or any alias.", widget=forms.TextInput(attrs={"autofocus": True}))
    nct_id = forms.CharField(label="NCT id", required=False, help_text="Fetched from ClinicalTrials.gov.")
    study_json = forms.FileField(label="…or the study's JSON (API v2)", required=False)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        try:
            data["asset_obj"] = resolve_asset(data.get("asset", ""))
        except ValidationError as exc:
            self.add_error("asset", exc)
        upload = data.get("study_json")
        try:
            if upload:
                data["record"] = json.loads(upload.read().decode("utf-8-sig"))
            elif data.get("nct_id"):
                data["record"] = fetch_study(data["nct_id"])
            else:
                self.add_error("nct_id", "Give an NCT id or upload the study's JSON.")
        except (ValueError, UnicodeDecodeError):
            self.add_error("study_json", "The file is not JSON.")
        except CtgovError as exc:
            self.add_error("nct_id", str(exc))
        return data


@permission_required("milestones.add_milestone", raise_exception=True)
def import_ctgov(request: HttpRequest) -> HttpResponse:
    form = CtgovForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        asset = form.cleaned_data["asset_obj"]
        try:
            with recompute_once():
                milestone, created = attach_study(asset, form.cleaned_data["record"])
        except CtgovError as exc:
            form.add_error("study_json", str(exc))
        except ValidationError as exc:
            add_model_errors(form, exc)
        else:
            if milestone is None:
                messages.success(
                    request,
                    "Trial recorded; the study starts no phase (observational, phase NA or 4, "
                    "withdrawn, or no start date), so no phase start was added.",
                )
            else:
                messages.success(request, f"{'Attached' if created else 'Updated'} {milestone}.")
            return HttpResponseRedirect(asset.get_absolute_url())
    return render(
        request,
        "edit/form.html",
        {"form": form, "verbose_name": "ClinicalTrials.gov study", "multipart": True, "formsets": {}},
    )
