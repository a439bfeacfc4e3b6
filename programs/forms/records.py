"""Editor forms for companies, assets, sources and deals (with their inline formsets)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from programs.forms.base import CheckedInlineFormSet, CheckedModelForm, PreciseDateField, VersionedModelForm
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
    Payload,
    Source,
)
from programs.text import normalize_name, slugify_code
from programs.validators import parse_dar, resolve_targets, split_list, validate_source_url
from programs.vocab import DarKind, DesignationKind, LinkerType

MAX_ARMS = 4  # AssetTarget positions 1-4 (its check constraint)


class CompanyForm(VersionedModelForm):
    derived_fields = {"slug": "name"}  # a new company's URL slug comes from its name

    class Meta:
        model = Company
        fields = ["name", "kind", "country", "website"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.instance.slug and data.get("name"):
            self.instance.slug = slugify_code(data["name"])
        return data


class SourceForm(VersionedModelForm):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on", "notes"]

    def clean_url(self) -> str:
        return validate_source_url(self.cleaned_data.get("url", ""))


class AssetForm(VersionedModelForm):
    """An asset with its targets and payloads typed as ";"-separated names ("EGFR; HER3").

    DAR is one box for a value or a range ("4", "3.5-4", "~4" for a reported average), parsed like
    the CSV import's (``parse_dar``) into ``dar`` and ``dar_max``; the INN is kept as a designation.
    """

    targets_text = forms.CharField(label="Targets", required=False, help_text="Symbols or aliases, e.g. EGFR; HER3")
    payloads_text = forms.CharField(label="Payloads", required=False, help_text="Known payload names, e.g. Ed-04")
    derived_fields = {"slug": "code"}  # a new asset's URL slug comes from its code
    dar = forms.CharField(label="DAR", required=False, max_length=20,
                          help_text="A value (4), a range (3.5-4) or ~4 (a reported average); > 0 and <= 20.")

    class Meta:
        model = Asset
        fields = ["code", "inn", "originator", "status", "antibody_format", "fc_engineering", "masked",
                  "masking_platform", "conjugation_method", "conjugation_technology", "conjugation_platform",
                  "dar", "dar_kind", "linker_type", "linker_cleavable", "linker_chemistry", "linker_payload",
                  "description", "indications"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.target_notes: list[str] = []
        self.fields["linker_type"].required = False  # left empty: not disclosed (unknown)
        if self.instance.pk is not None:
            self.initial["dar"] = self.instance.dar_label
            self.initial["targets_text"] = "; ".join(
                at.target.symbol for at in self.instance.asset_targets.select_related("target"))
            self.initial["payloads_text"] = "; ".join(
                ap.payload.name for ap in self.instance.asset_payloads.select_related("payload"))

    def clean_dar(self) -> Any:
        dar = parse_dar(self.cleaned_data.get("dar") or "")  # a ValidationError lands beside "dar"
        self.instance.dar_max = dar.high  # not a form field: set here, before the model's clean() runs
        self.dar_approximate = dar.approximate
        return dar.low

    def clean_linker_type(self) -> str:
        return self.cleaned_data.get("linker_type") or LinkerType.UNKNOWN

    def clean_targets_text(self) -> list[Any]:
        targets, self.target_notes = resolve_targets(self.cleaned_data.get("targets_text", ""))
        if len(targets) > MAX_ARMS:
            raise ValidationError("An asset has at most %(max)d target arms; %(count)d were given.",
                                  code="too_many_targets", params={"max": MAX_ARMS, "count": len(targets)})
        return targets

    def clean_payloads_text(self) -> list[Payload]:
        found: list[Payload] = []
        missing: list[str] = []
        for name in split_list(self.cleaned_data.get("payloads_text", "")):
            payload = Payload.objects.filter(name__iexact=name).first()
            if payload is None:
                missing.append(name)
            elif payload not in found:  # "Ed-04; ed-04" names one payload once
                found.append(payload)
        if missing:
            raise ValidationError("Unknown payload(s): %(names)s.", code="unknown_payload",
                                  params={"names": ", ".join(missing)})
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        code = data.get("code")
        if code and not self.instance.slug:
            self.instance.slug = slugify_code(code)
        if getattr(self, "dar_approximate", False):
            data["dar_kind"] = DarKind.AVERAGE  # "~4" is a reported average, whatever the select said
        return data

    def _post_clean(self) -> None:
        super()._post_clean()
        # After the model's rules (not in clean()): an error added there would drop the code from the
        # instance, and the rules on the code and its slug would go unchecked.
        # The code and the INN are both designations: each needs a search key, and no other asset's.
        for field in ("code", "inn"):
            name = self.cleaned_data.get(field)
            if not name:
                continue
            key = normalize_name(name)
            if not key:  # "🧬": the designation's search key would be empty
                self.add_error(field, ValidationError("%(name)r has no letters or digits to search by.",
                                                      code="invalid", params={"name": name}))
                continue
            clash = AssetDesignation.objects.filter(normalized=key).exclude(
                asset_id=self.instance.pk).select_related("asset").first()
            if clash is not None:
                self.add_error(field, ValidationError("%(name)r already names %(asset)s.", code="unique",
                                                      params={"name": name, "asset": clash.asset.code}))

    def save(self, commit: bool = True) -> Asset:
        asset: Asset = super().save(commit=commit)
        if commit:
            self.save_structure(asset)
        return asset

    def save_after_formsets(self, asset: Asset) -> None:
        """The editor views save the designation rows first (``FormsetMixin.save_all``), then this."""
        self.save_structure(asset)

    def save_structure(self, asset: Asset) -> None:
        """Replace targets and payloads with the typed ones; keep the code as a designation."""
        targets = self.cleaned_data.get("targets_text") or []
        if [at.target_id for at in asset.asset_targets.order_by("position")] != [t.pk for t in targets]:
            asset.asset_targets.all().delete()
            for position, target in enumerate(targets, start=1):
                AssetTarget.objects.create(asset=asset, target=target, position=position)
        payloads = self.cleaned_data.get("payloads_text") or []
        if sorted(ap.payload_id for ap in asset.asset_payloads.all()) != sorted(p.pk for p in payloads):
            asset.asset_payloads.all().delete()
            for position, payload in enumerate(payloads, start=1):
                AssetPayload.objects.create(asset=asset, payload=payload, position=position)
        if not AssetDesignation.objects.filter(normalized=normalize_name(asset.code)).exists():
            AssetDesignation.objects.create(asset=asset, name=asset.code, kind="code")
        # The INN is a designation of its own kind: searchable, unique, never an alias repeating it.
        if asset.inn and not AssetDesignation.objects.filter(normalized=normalize_name(asset.inn)).exists():
            AssetDesignation.objects.create(asset=asset, name=asset.inn, kind=DesignationKind.INN)


class NamedRowForm(CheckedModelForm):
    """A designation or alias row: its ``normalized`` key (unique across all rows) comes from the name."""

    derived_fields = {"normalized": "name"}


class RowForm(CheckedModelForm):
    """A deal party or terms row, checked against saved rows and the other rows of its formset."""


DesignationFormSet = inlineformset_factory(
    Asset, AssetDesignation, form=NamedRowForm, formset=CheckedInlineFormSet, fields=["name", "kind"], extra=2,
    can_delete=True,
)
CompanyAliasFormSet = inlineformset_factory(
    Company, CompanyAlias, form=NamedRowForm, formset=CheckedInlineFormSet, fields=["name"], extra=1,
    can_delete=True,
)


class DealForm(VersionedModelForm):
    announced = PreciseDateField(required=False, label="Announced")

    class Meta:
        model = Deal
        fields = ["title", "kind", "announced", "territory", "status", "terminated_on", "platform", "summary",
                  "source", "assets"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.announced_on:
            from programs.dates import PreciseDate

            self.initial["announced"] = PreciseDate(self.instance.announced_on, self.instance.announced_precision).iso()

    def clean_announced(self) -> Any:
        when = self.cleaned_data.get("announced")
        if when is not None:
            self.instance.announced_on, self.instance.announced_precision = when.date, when.precision
        return when


DealPartyFormSet = inlineformset_factory(
    Deal, DealParty, form=RowForm, formset=CheckedInlineFormSet, fields=["company", "role"], extra=2, can_delete=True,
)
DealTermsFormSet = inlineformset_factory(
    Deal, DealTerms, form=RowForm, formset=CheckedInlineFormSet,
    fields=["currency", "upfront", "near_term", "milestones", "total_value", "equity", "royalty_terms", "source",
            "stands", "note"],
    extra=1, can_delete=True,
)
