"""Serializers of companies, targets, sources, assets (with derived facts) and deals.

Read shapes carry what a script wants in one request (an asset with designations, targets, pair,
payloads with class and latest milestones; a deal with parties, assets and terms). Nested parts are
built from prefetched rows as plain dicts (no per-row queries; see the viewsets' querysets).
Writes take ids or natural keys (``programs.api.fields``) and run the models' ``clean()``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from milestones.vocab import Agency, ApprovalType, MilestoneKind, MilestoneStatus, RegulatoryState
from programs.api.base import ModelCleanMixin
from programs.api.errors import Conflict
from programs.api.fast import FastRepresentationMixin
from programs.api.fields import (
    AssetKeyField,
    CompanyKeyField,
    IndicationKeyField,
    PayloadKeyField,
    SourceKeyField,
    TargetKeyField,
)
from programs.api.nested import forget, nested
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    Deal,
    DealParty,
    Source,
    Target,
)
from programs.text import normalize_name, slugify_code
from programs.vocab import DealRole, DesignationKind, PayloadClass, Phase

VERSION_HELP = "Optimistic-locking version; goes up by one on every save (also in the ETag)."


class CompanySerializer(ModelCleanMixin, serializers.ModelSerializer):
    derived_fields = {"slug": "name"}  # when omitted
    slug = serializers.SlugField(required=False, help_text="URL slug; derived from the name when omitted.")
    aliases = serializers.SerializerMethodField(help_text="Other names of the company.")
    country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="Headquarters country, ISO 3166-1 alpha-2 (CN)."
    )

    class Meta:
        model = Company
        fields = ["id", "name", "slug", "kind", "country", "website", "aliases", "version", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {"version": {"help_text": VERSION_HELP}}

    def get_aliases(self, obj: Company) -> list[str]:
        return [a.name for a in obj.aliases.all()]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "name" in attrs and not attrs.get("slug") and self.instance is None:
            attrs["slug"] = slugify_code(attrs["name"])
        if "country" in attrs:
            attrs["country"] = attrs["country"].upper()
        return super().validate(attrs)

    def to_representation(self, instance: Company) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["country"] = str(instance.country.code or "")
        return data


class TargetSerializer(ModelCleanMixin, serializers.ModelSerializer):
    derived_fields = {"slug": "symbol", "normalized": "symbol"}
    slug = serializers.SlugField(required=False, help_text="URL slug; derived from the symbol when omitted.")
    parent = TargetKeyField(required=False, allow_null=True, help_text="For an isoform: the parent gene's symbol.")
    aliases = serializers.SerializerMethodField(help_text="Names people search the target by (HER3 for ERBB3).")

    class Meta:
        model = Target
        fields = ["id", "symbol", "name", "slug", "parent", "aliases", "version", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]

    def get_aliases(self, obj: Target) -> list[str]:
        return [a.name for a in obj.aliases.all()]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "symbol" in attrs and not attrs.get("slug") and self.instance is None:
            attrs["slug"] = slugify_code(attrs["symbol"])
        return super().validate(attrs)


class SourceSerializer(ModelCleanMixin, serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_on", "notes", "version", "created_at", "updated_at"]
        read_only_fields = ["version", "created_at", "updated_at"]


# --- assets ----------------------------------------------------------------------------------------


class DesignationOut(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=DesignationKind.choices)


class TargetArmOut(serializers.Serializer):
    position = serializers.IntegerField(help_text="Arm: 1 for a conventional ADC, 1 and 2 for a bispecific.")
    symbol = serializers.CharField(help_text="HGNC symbol.")
    name = serializers.CharField()


class PairOut(serializers.Serializer):
    key = serializers.CharField(help_text='URL/filter form, symbols sorted: "EGFR-ERBB3".')
    label = serializers.CharField(help_text='"EGFR x ERBB3".')


class PayloadOut(serializers.Serializer):
    name = serializers.CharField()
    payload_class = serializers.ChoiceField(choices=PayloadClass.choices)
    position = serializers.IntegerField()


class MilestoneBrief(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MilestoneKind.choices)
    agency = serializers.ChoiceField(choices=Agency.choices, allow_blank=True)
    phase = serializers.ChoiceField(choices=Phase.choices, allow_blank=True)
    status = serializers.ChoiceField(choices=MilestoneStatus.choices)
    date = serializers.DateField(allow_null=True, help_text="First day of the period (ISO 8601).")
    date_precision = serializers.CharField(help_text="day, month, quarter, half, year or unknown.")


class RegulatoryStatusOut(serializers.Serializer):
    indication = serializers.CharField(allow_null=True, help_text="Indication name; null: asset-wide.")
    agency = serializers.CharField(allow_null=True, help_text="Agency code; null: not agency-specific.")
    state = serializers.ChoiceField(choices=RegulatoryState.choices)
    approval_type = serializers.ChoiceField(choices=[c for c in ApprovalType.choices if c[0]], allow_null=True)
    phase = serializers.ChoiceField(choices=Phase.choices, allow_null=True)
    since = serializers.CharField(allow_null=True, help_text="Date at its precision: 2024-11-22, 2024-11, 2024-Q4.")


DERIVED_FIELDS = [
    "target_pair", "highest_phase", "current_phase", "marketed", "latest_event_date", "first_ind", "first_dosed_on",
    "ind_to_dosing_days", "derived_at",
]


class AssetSerializer(FastRepresentationMixin, ModelCleanMixin, serializers.ModelSerializer):
    """An asset. Write ``targets`` as symbols/aliases in arm order, ``payloads`` as names,
    ``designations`` as extra names (the code is always one); the derived facts are read-only."""

    slug = serializers.SlugField(required=False, help_text="URL slug; derived from the code when omitted.")
    derived_fields = {"slug": "code"}  # when omitted
    originator = CompanyKeyField(help_text="Originating company: id or name.")
    designations = serializers.SerializerMethodField(help_text="Every name of the asset, code first.")
    targets = serializers.SerializerMethodField(help_text="Targets by arm position.")
    target_pair = serializers.SerializerMethodField(help_text="Pair of a two-armed asset, else null.")
    payloads = serializers.SerializerMethodField(help_text="Payloads with their class.")
    indications = serializers.SerializerMethodField(help_text="Disease names.")
    latest_milestones = serializers.SerializerMethodField(help_text="Up to 3 most recent milestones, newest first.")
    regulatory_status = serializers.SerializerMethodField(
        help_text="State per (indication, agency), derived from milestones: what is approved where, since when."
    )
    first_ind = serializers.JSONField(
        read_only=True, help_text="First IND clearance / CTA approval per agency: {\"FDA\": \"2025-03-14\"}."
    )
    dar = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True,
        min_value=Decimal("0.01"), max_value=Decimal("20"),
        help_text="Drug-to-antibody ratio (dimensionless), > 0 and <= 20.",
    )
    # write-only inputs
    target_keys = serializers.ListField(
        child=TargetKeyField(), source="_targets", write_only=True, required=False, max_length=4,
        help_text="Targets in arm order, as ids or symbols/aliases (e.g. [\"EGFR\", \"HER3\"]).",
    )
    payload_keys = serializers.ListField(
        child=PayloadKeyField(), source="_payloads", write_only=True, required=False, max_length=4,
        help_text="Payloads as ids or names (e.g. [\"Ed-04\"]).",
    )
    designation_names = serializers.ListField(
        child=serializers.CharField(max_length=200), source="_designations", write_only=True, required=False,
        max_length=50, help_text="Extra names (aliases) besides the code.",
    )
    brand_names = serializers.ListField(
        child=serializers.CharField(max_length=200), source="_brands", write_only=True, required=False,
        max_length=20, help_text="Brand names (designations of kind brand, e.g. [\"Enhertu\"]).",
    )
    indication_keys = serializers.ListField(
        child=IndicationKeyField(), source="_indications", write_only=True, required=False, max_length=50,
        help_text="Indications as ids or names.",
    )

    class Meta:
        model = Asset
        fields = [
            "id", "code", "slug", "inn", "originator", "description", "status", "antibody_format",
            "fc_engineering", "masked", "conjugation_method", "conjugation_technology", "dar", "dar_kind",
            "dar_max", "linker_type", "linker_cleavable", "linker_chemistry", "linker_payload", "designations",
            "targets", "payloads", "indications",
            *DERIVED_FIELDS, "regulatory_status", "latest_milestones", "version", "created_at", "updated_at",
            "target_keys", "payload_keys", "designation_names", "brand_names", "indication_keys",
        ]
        read_only_fields = [
            "highest_phase", "current_phase", "marketed", "latest_event_date", "first_dosed_on", "ind_to_dosing_days",
            "derived_at", "version", "created_at", "updated_at",
        ]
        extra_kwargs = {
            "highest_phase": {"help_text": "Highest development phase reached (derived from milestones)."},
            "current_phase": {"help_text": "Current phase: approved while marketed; suspended while on a full hold; "
                                           "discontinued when stopped asset-wide and no approval stands."},
            "marketed": {"help_text": "True while at least one (indication, agency) approval stands."},
            "latest_event_date": {"help_text": "Date of the latest occurred milestone."},
            "first_dosed_on": {"help_text": "Date the first patient was dosed."},
            "ind_to_dosing_days": {"help_text": "Days from first IND clearance to first dosing."},
            "version": {"help_text": VERSION_HELP},
        }

    @extend_schema_field(DesignationOut(many=True))
    def get_designations(self, obj: Asset) -> list[dict[str, str]]:
        return nested(obj)["designations"]  # type: ignore[no-any-return]

    @extend_schema_field(TargetArmOut(many=True))
    def get_targets(self, obj: Asset) -> list[dict[str, Any]]:
        return nested(obj)["targets"]  # type: ignore[no-any-return]

    @extend_schema_field(PairOut(allow_null=True))
    def get_target_pair(self, obj: Asset) -> dict[str, str] | None:
        pair = obj.target_pair
        return {"key": pair.key, "label": pair.label} if pair is not None else None

    @extend_schema_field(PayloadOut(many=True))
    def get_payloads(self, obj: Asset) -> list[dict[str, Any]]:
        return nested(obj)["payloads"]  # type: ignore[no-any-return]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_indications(self, obj: Asset) -> list[str]:
        return nested(obj)["indications"]  # type: ignore[no-any-return]

    @extend_schema_field(MilestoneBrief(many=True))
    def get_latest_milestones(self, obj: Asset) -> list[dict[str, Any]]:
        return nested(obj)["latest_milestones"]  # type: ignore[no-any-return]

    @extend_schema_field(RegulatoryStatusOut(many=True))
    def get_regulatory_status(self, obj: Asset) -> list[dict[str, Any]]:
        return nested(obj)["regulatory_status"]  # type: ignore[no-any-return]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "code" in attrs and not attrs.get("slug") and self.instance is None:
            attrs["slug"] = slugify_code(attrs["code"])
        # The model's rules and unique keys first (code, slug: a 409 beside the field), then the names.
        attrs = super().validate(attrs)
        named = [("code", attrs.get("code") or (self.instance.code if self.instance else ""))]
        named += [("designation_names", name) for name in attrs.get("_designations", [])]
        named += [("brand_names", name) for name in attrs.get("_brands", [])]
        named += [("inn", attrs["inn"])] if attrs.get("inn") else []
        own = self.instance.pk if self.instance else None
        for field, name in named:
            key = normalize_name(name)
            if not key:
                raise serializers.ValidationError({field: f"{name!r} is not a usable name."})
            clash = (
                AssetDesignation.objects.filter(normalized=key).exclude(asset_id=own).select_related("asset").first()
            )
            if clash is not None:
                raise Conflict({field: [f"{name!r} already names asset {clash.asset.code} (id {clash.asset_id})."]})
        return attrs

    def _save_relations(self, asset: Asset, extra: dict[str, Any]) -> None:
        if "_targets" in extra:
            AssetTarget.objects.filter(asset=asset).delete()
            for i, target in enumerate(extra["_targets"], start=1):
                AssetTarget.objects.create(asset=asset, target=target, position=i)
        if "_payloads" in extra:
            AssetPayload.objects.filter(asset=asset).delete()
            for i, payload in enumerate(dict.fromkeys(extra["_payloads"]), start=1):
                AssetPayload.objects.create(asset=asset, payload=payload, position=i)
        if "_indications" in extra:
            asset.indications.set(extra["_indications"])
        wanted = {normalize_name(asset.code): (asset.code, DesignationKind.CODE)}
        if asset.inn:  # the INN is a designation of its own kind (searchable without an alias repeating it)
            wanted.setdefault(normalize_name(asset.inn), (asset.inn, DesignationKind.INN))
        for name in extra.get("_brands", []):
            wanted.setdefault(normalize_name(name), (name, DesignationKind.BRAND))
        for name in extra.get("_designations", []):
            wanted.setdefault(normalize_name(name), (name, DesignationKind.ALIAS))
        have = {d.normalized: d for d in asset.designations.all()}
        for key, (name, kind) in wanted.items():
            if key not in have:
                AssetDesignation.objects.create(asset=asset, name=name, kind=kind)
            elif kind == DesignationKind.BRAND and have[key].kind == DesignationKind.ALIAS:
                have[key].kind = kind
                have[key].save()
        forget(asset)

    @staticmethod
    def _split(validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        keys = ("_targets", "_payloads", "_designations", "_brands", "_indications")
        return {k: v for k, v in validated.items() if k not in keys}, {k: validated[k] for k in keys if k in validated}

    def create(self, validated_data: dict[str, Any]) -> Asset:
        plain, extra = self._split(validated_data)
        asset = Asset(**plain)
        asset._history_user = self.context["request"].user  # type: ignore[attr-defined]
        asset.save()
        self._save_relations(asset, extra)
        return asset

    def update(self, instance: Asset, validated_data: dict[str, Any]) -> Asset:
        plain, extra = self._split(validated_data)
        for key, value in plain.items():
            setattr(instance, key, value)
        instance._history_user = self.context["request"].user  # type: ignore[attr-defined]
        instance.save()
        self._save_relations(instance, extra)
        return instance


class AssetDerivedSerializer(serializers.ModelSerializer):
    """Per-asset derived facts only (read-only): what statistics are built from."""

    target_pair = serializers.SerializerMethodField(help_text='Target pair key, e.g. "EGFR-ERBB3", or null.')
    first_ind = serializers.JSONField(help_text="First IND clearance / CTA approval per agency: agency -> ISO date.")

    class Meta:
        model = Asset
        fields = ["id", "code", "status", *DERIVED_FIELDS, "highest_phase_rank", "derived_dirty"]
        read_only_fields = fields

    def get_target_pair(self, obj: Asset) -> str | None:
        return obj.target_pair.key if obj.target_pair is not None else None


# --- deals -----------------------------------------------------------------------------------------


class DealPartySerializer(serializers.Serializer):
    company = CompanyKeyField(help_text="Company: id or name.")
    role = serializers.ChoiceField(choices=DealRole.choices)


class DealTermsOut(serializers.Serializer):
    currency = serializers.CharField(help_text="ISO 4217 code.")
    upfront = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, help_text="Millions of currency."
    )
    near_term = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True,
        help_text="Millions of currency: contingent / near-term payments beyond the upfront.",
    )
    milestones = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, help_text="Millions of currency."
    )
    total_value = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, help_text="Millions of currency."
    )
    equity = serializers.DecimalField(
        max_digits=14, decimal_places=3, allow_null=True, help_text="Millions of currency."
    )
    usd_per_unit = serializers.DecimalField(max_digits=12, decimal_places=6, help_text="US dollars per unit.")
    royalty_terms = serializers.CharField()
    stands = serializers.BooleanField(help_text="The figure that stands when sources disagree.")
    note = serializers.CharField()
    source = serializers.CharField(help_text="Source URL.")


class DealSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A deal. Write ``parties`` as [{"company": "Bristol Myers Squibb", "role": "licensee"}] and
    ``assets`` as ids or designations; ``terms`` are read-only here (one row per reporting source)."""

    source = SourceKeyField(help_text="Source: id or URL.")
    parties = DealPartySerializer(many=True, source="deal_parties", help_text="Companies in their roles.")
    assets = AssetKeyField(many=True, required=False, help_text="Assets covered: ids or designations (read as codes).")
    terms = serializers.SerializerMethodField(help_text="Money terms per reporting source; amounts in millions.")

    class Meta:
        model = Deal
        fields = [
            "id", "title", "kind", "announced_on", "announced_precision", "territory", "status", "terminated_on",
            "summary", "source", "parties", "assets", "terms", "version", "created_at", "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {"announced_precision": {"help_text": "Precision of announced_on: day .. year, unknown."}}

    @extend_schema_field(DealTermsOut(many=True))
    def get_terms(self, obj: Deal) -> list[dict[str, Any]]:
        out = []
        for t in obj.terms.all():
            out.append({
                "currency": t.currency, "royalty_terms": t.royalty_terms, "stands": t.stands, "note": t.note,
                "source": t.source.url, "usd_per_unit": f"{t.usd_per_unit:.6f}",
                **{f: (None if getattr(t, f) is None else f"{getattr(t, f):.3f}")
                   for f in ("upfront", "near_term", "milestones", "total_value", "equity")},
            })
        return out

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parties = attrs.get("deal_parties")
        if parties is not None:
            seen = set()
            for p in parties:
                key = (p["company"].pk, p["role"])
                if key in seen:
                    raise serializers.ValidationError({"parties": f"{p['company']} is listed twice as {p['role']}."})
                seen.add(key)
        return super().validate(attrs)

    def _save_relations(self, deal: Deal, parties: list[dict[str, Any]] | None, assets: list[Asset] | None) -> None:
        if parties is not None:
            DealParty.objects.filter(deal=deal).delete()
            for p in parties:
                DealParty.objects.create(deal=deal, company=p["company"], role=p["role"])
        if assets is not None:
            deal.assets.set(assets)

    def create(self, validated_data: dict[str, Any]) -> Deal:
        parties = validated_data.pop("deal_parties", [])
        assets = validated_data.pop("assets", None)
        deal = Deal(**validated_data)
        deal._history_user = self.context["request"].user  # type: ignore[attr-defined]
        deal.save()
        self._save_relations(deal, parties, assets)
        return deal

    def update(self, instance: Deal, validated_data: dict[str, Any]) -> Deal:
        parties = validated_data.pop("deal_parties", None)
        assets = validated_data.pop("assets", None)
        for key, value in validated_data.items():
            setattr(instance, key, value)
        instance._history_user = self.context["request"].user  # type: ignore[attr-defined]
        instance.save()
        self._save_relations(instance, parties, assets)
        return instance
