"""Relation fields that read as a natural key and write as an id or a natural key.

An asset is written as its id or any designation ("BL-B01D1", "iza-bren"), a company as its id or
name/alias, a target as its id or symbol/alias (``Target.objects.resolve``), a source as its id or URL.
Each lookup is one query; unknown keys give a 400 that names the value.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programs.models import Asset, Company, Indication, Payload, Source, Target
from programs.text import normalize_name


class NaturalKeyField(serializers.RelatedField):
    """Base: JSON integers are primary keys, strings are natural keys resolved by ``lookup``."""

    model: type[models.Model]
    attr = "pk"
    noun = "record"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", self.model._default_manager.all())
        super().__init__(**kwargs)

    def lookup(self, text: str) -> models.Model | None:
        raise NotImplementedError

    def to_internal_value(self, data: Any) -> models.Model:
        if isinstance(data, bool) or data is None:
            self.fail_unknown(data)
        if isinstance(data, int):
            obj = self.get_queryset().filter(pk=data).first() if -(2**63) < data < 2**63 else None
        elif isinstance(data, str) and data.strip():
            obj = self.lookup(data.strip())
        else:
            raise serializers.ValidationError(f"Give the {self.noun} as an id (integer) or a name (string).")
        if obj is None:
            self.fail_unknown(data)
        return obj  # type: ignore[return-value]

    def fail_unknown(self, data: Any) -> None:
        raise serializers.ValidationError(f"Unknown {self.noun} {data!r}.")

    def to_representation(self, value: models.Model) -> Any:
        return getattr(value, self.attr)


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}],
     "description": "Asset: id, or any designation (code, INN, brand, alias), case and punctuation ignored."}
)
class AssetKeyField(NaturalKeyField):
    model = Asset
    attr = "code"
    noun = "asset"

    def lookup(self, text: str) -> Asset | None:
        key = normalize_name(text)
        return Asset.objects.filter(Q(designations__normalized=key) | Q(code__iexact=text)).first() if key else None


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}],
     "description": "Company: id, or name/alias (case and punctuation ignored)."}
)
class CompanyKeyField(NaturalKeyField):
    model = Company
    attr = "name"
    noun = "company"

    def lookup(self, text: str) -> Company | None:
        found = Company.objects.filter(name__iexact=text).first()
        key = normalize_name(text)
        return found or (Company.objects.filter(aliases__normalized=key).first() if key else None)


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}],
     "description": "Target: id, or HGNC symbol or alias (HER3 -> ERBB3)."}
)
class TargetKeyField(NaturalKeyField):
    model = Target
    attr = "symbol"
    noun = "target"

    def lookup(self, text: str) -> Target | None:
        try:
            return Target.objects.resolve(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Source: id, or its URL."}
)
class SourceKeyField(NaturalKeyField):
    model = Source
    attr = "url"
    noun = "source"

    def lookup(self, text: str) -> Source | None:
        return Source.objects.filter(url=text).first()


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Payload: id, or name (DXd, MMAE, ...)."}
)
class PayloadKeyField(NaturalKeyField):
    model = Payload
    attr = "name"
    noun = "payload"

    def lookup(self, text: str) -> Payload | None:
        return Payload.objects.filter(name__iexact=text).first()


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Indication: id, or disease name."}
)
class IndicationKeyField(NaturalKeyField):
    model = Indication
    attr = "name"
    noun = "indication"

    def lookup(self, text: str) -> Indication | None:
        return Indication.objects.filter(name__iexact=text).first()


__all__ = [
    "AssetKeyField", "CompanyKeyField", "IndicationKeyField", "NaturalKeyField", "PayloadKeyField",
    "SourceKeyField", "TargetKeyField",
]
