"""Editor forms for milestones, safety events and efficacy readouts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from milestones.vocab import Agency, ApprovalType, HoldType, MilestoneKind, MilestoneStatus, Outcome
from programs.dates import PreciseDate
from programs.editing.lookups import company_found, company_named, indication_named
from programs.editing.uniqueness import unique_errors
from programs.forms.base import PreciseDateField, VersionedModelForm, add_model_errors, require_read_version
from programs.models import Asset, AssetDesignation, AssetTarget, Company, Indication, Source
from programs.text import normalize_name, slugify_code
from programs.validators import resolve_asset, resolve_targets, validate_source_url
from programs.vocab import DesignationKind, Phase

_STATUS_CHOICES = [(MilestoneStatus.OCCURRED, "Occurred"), (MilestoneStatus.PLANNED, "Planned")]


def upsert_source(url: str, title: str = "") -> Source:
    """The Source with this URL, created if new; a title fills an empty one, never overwrites."""
    source, created = Source.objects.get_or_create(url=url, defaults={"title": title})
    if not created and source.fill_title(title):
        source.save()
    return source


class QuickMilestoneForm(forms.Form):
    """"Record a regulatory event" in one screen: field order is the order an editor reads a press release."""

    asset = forms.CharField(
        required=False, label="Asset", help_text="Code or any alias, e.g. JS212.",
        widget=forms.TextInput(attrs={"autofocus": True, "list": "asset-names", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(choices=MilestoneKind.choices, label="Event")
    agency = forms.ChoiceField(choices=Agency.choices, required=False)
    date = PreciseDateField(label="Date", required=False)
    status = forms.ChoiceField(choices=_STATUS_CHOICES, initial=MilestoneStatus.OCCURRED, widget=forms.RadioSelect)
    phase = forms.ChoiceField(choices=[("", "—"), *Phase.choices], required=False)
    indication = forms.CharField(required=False, max_length=200)
    approval_type = forms.ChoiceField(choices=ApprovalType.choices, required=False, label="Approval type")
    outcome = forms.ChoiceField(choices=Outcome.choices, required=False,
                                help_text="Advisory committee or CHMP opinion only.")
    hold_type = forms.ChoiceField(choices=HoldType.choices, required=False, label="Hold type")
    reason = forms.CharField(required=False, max_length=2000, label="Reason",
                             help_text="A hold's, withdrawal's or discontinuation's reason.")
    trial_id = forms.CharField(required=False, max_length=40, label="Trial id")
    source_url = forms.URLField(label="Source URL", max_length=1000, assume_scheme="https")
    source_title = forms.CharField(label="Source title", required=False, max_length=500)
    new_code = forms.CharField(required=False, label="New asset code", max_length=80)
    new_originator = forms.CharField(required=False, label="Originator", max_length=200)
    new_targets = forms.CharField(required=False, label="Targets", help_text="Separated by ;, e.g. EGFR; HER3")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []
        self.milestone: Milestone | None = None
        self._asset: Asset | None = None
        self._new_targets: list[Any] = []

    def clean_source_url(self) -> str:
        return validate_source_url(self.cleaned_data.get("source_url", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(name in self.errors for name in ("kind", "agency", "date", "status", "phase")):
            return data
        new_code = (data.get("new_code") or "").strip()
        if new_code:
            self._clean_new_asset(data, new_code)
        else:
            try:
                self._asset = resolve_asset(data.get("asset", ""))
            except ValidationError as exc:
                self.add_error("asset", exc)
                return data
        when: PreciseDate = data.get("date") or PreciseDate(None, "unknown")
        milestone = Milestone(
            asset=self._asset, kind=data["kind"], agency=data.get("agency") or "", phase=data.get("phase") or "",
            status=data["status"], date=when.date, date_precision=when.precision,
            trial_id=(data.get("trial_id") or "").strip(), approval_type=data.get("approval_type") or "",
            outcome=data.get("outcome") or "", hold_type=data.get("hold_type") or "",
            reason=(data.get("reason") or "").strip(),
        )
        # The indication is part of the event's key: an existing one by name, or a new one (written on
        # save) that the duplicate check compares by name.
        name = " ".join((data.get("indication") or "").split())
        if name:
            milestone.indication = Indication.objects.filter(name__iexact=name).first() or Indication(name=name)
        try:
            milestone.full_clean(exclude=["asset", "source", "indication"] if self._asset is None or
                                 self._asset.pk is None else ["source", "indication"])
        except ValidationError as exc:
            add_model_errors(self, exc, {"trial_id": "trial_id", "asset": "asset"})
        self.milestone = milestone
        return data

    def _clean_new_asset(self, data: dict[str, Any], code: str) -> None:
        if AssetDesignation.objects.filter(normalized=normalize_name(code)).exists():
            self.add_error("new_code", ValidationError(
                "%(code)r already names an asset: type it in the asset box instead.", code="unique",
                params={"code": code}))
            return
        originator = (data.get("new_originator") or "").strip()
        if not originator:
            self.add_error("new_originator", "Name the originator of the new asset.")
        elif company_found(originator) is None:
            # A company created here must not clash with a saved one either (its slug: "Zeta-Repro
            # Pharma" after "Zeta Repro Pharma").
            company = Company(name=originator, slug=slugify_code(originator))
            for messages in unique_errors(company, inputs={"name"}, derived={"slug": "name"}).values():
                self.add_error("new_originator", messages)
        try:
            self._new_targets, self.notes = resolve_targets(data.get("new_targets", ""))
        except ValidationError as exc:
            self.add_error("new_targets", exc)
        self._asset = Asset(code=code, slug=slugify_code(code))
        for messages in unique_errors(self._asset, inputs={"code"}, derived={"slug": "code"},
                                      exclude={"originator"}).values():
            self.add_error("new_code", messages)

    @transaction.atomic
    def save(self) -> Milestone:
        """Write the (new asset,) source and milestone; derived facts recompute after commit."""
        assert self.milestone is not None and self._asset is not None
        data = self.cleaned_data
        asset = self._asset
        if asset.pk is None:
            asset.originator = company_named(data["new_originator"])
            asset.save()
            AssetDesignation.objects.create(asset=asset, name=asset.code, kind=DesignationKind.CODE)
            for position, target in enumerate(self._new_targets, start=1):
                AssetTarget.objects.create(asset=asset, target=target, position=position)
        milestone = self.milestone
        milestone.asset = asset
        milestone.source = upsert_source(data["source_url"], data.get("source_title", ""))
        if milestone.indication is not None and milestone.indication.pk is None:
            milestone.indication = indication_named(milestone.indication.name)
        milestone.save()
        return milestone


class MarkOccurredForm(forms.Form):
    """Mark a planned event as occurred on its actual date; the plan stays for the slip figure."""

    date = PreciseDateField(label="Actual date")
    version = forms.IntegerField(widget=forms.HiddenInput)
    source_url = forms.URLField(label="Source URL (optional)", required=False, assume_scheme="https")

    def __init__(self, *args: Any, milestone: Milestone, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestone = milestone
        self.fields["version"].initial = milestone.version

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        require_read_version(self, editing=True)  # hidden: its own error would not show
        when = data.get("date")
        if when is None:
            return data
        m = self.milestone
        m.status, m.date, m.date_precision = MilestoneStatus.OCCURRED, when.date, when.precision
        try:
            m.full_clean(exclude=["source"])
        except ValidationError as exc:
            add_model_errors(self, exc)
        return data


class MilestoneForm(VersionedModelForm):
    date = PreciseDateField(required=False)

    class Meta:
        model = Milestone
        fields = ["asset", "kind", "agency", "phase", "status", "date", "indication", "approval_type", "outcome",
                  "hold_type", "reason", "lifts", "trial_id", "source", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["date"] = self.instance.when.iso()

    def clean_date(self) -> Any:
        when = self.cleaned_data.get("date") or PreciseDate(None, "unknown")
        self.instance.date_precision = when.precision
        return when.date


class SafetyEventForm(VersionedModelForm):
    class Meta:
        model = SafetyEvent
        fields = ["asset", "category", "term", "grade_band", "grade", "max_grade", "assessment",
                  "incidence_percent", "n", "n_total", "dose_group", "study", "data_cutoff", "population",
                  "caused_hold", "source"]


class EfficacyReadoutForm(VersionedModelForm):
    class Meta:
        model = EfficacyReadout
        fields = ["asset", "endpoint", "endpoint_label", "value", "unit", "ci_low", "ci_high", "indication",
                  "dose_group", "line_of_therapy", "n", "study", "data_cutoff", "population", "source"]
