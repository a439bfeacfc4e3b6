"""CSV import from a web upload: dry run first, then the real (all-or-nothing) run."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programs.io.columns import COLUMNS
from programs.io.importers import IMPORTERS, import_csv


class ImportForm(forms.Form):
    table = forms.ChoiceField(choices=[(t, t) for t in IMPORTERS])
    file = forms.FileField(help_text="CSV, UTF-8 (Excel's UTF-8 CSV with ; works too).")
    dry_run = forms.BooleanField(required=False, initial=True, label="Dry run (write nothing)")

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KB; an import accepts at most "
                f"{settings.IMPORT_MAX_BYTES // (1024 * 1024)} MB. Split it.")
        return upload


@permission_required(("programs.add_asset", "milestones.add_milestone"), raise_exception=True)
def import_csv_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = import_csv(form.cleaned_data["table"], form.cleaned_data["file"].read(),
                            dry_run=form.cleaned_data["dry_run"])
    return render(request, "programs/import_csv.html", {"form": form, "report": report, "columns": COLUMNS})
