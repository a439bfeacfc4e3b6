"""A faster ``to_representation`` for the serializers of large lists, with DRF's exact output.

DRF asks every field of every row for its attribute and its representation: about thirty calls
through several layers per asset, which cost more than the SQL of a page of 100. This mixin plans
each readable field once per serializer: a plain text, choice, integer or boolean field whose value
is already that primitive is copied as it is (what DRF would return), a method field calls its
method, a date-time is converted in the field's time zone read once, and every other field (dates,
decimals, relations, JSON) still goes through its own ``to_representation``.
``tests/api/test_api_fast_representation.py`` compares the two outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from rest_framework import fields as drf
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

ISO_8601 = "iso-8601"

#: Field classes whose representation of a value of exactly this type is the value itself.
PLAIN: dict[type[drf.Field], type] = {
    drf.CharField: str,
    drf.ChoiceField: str,
    drf.IntegerField: int,
    drf.BooleanField: bool,
}
Step = tuple[str, Callable[[Any], Any]]


def _plain_type(field: drf.Field) -> type | None:
    """The primitive type ``field`` passes through unchanged, if its class uses a stock method."""
    for cls, kind in PLAIN.items():
        if isinstance(field, cls) and type(field).to_representation is cls.to_representation:
            return kind
    return None


def _plain(field: drf.Field, attr: str, kind: type) -> Callable[[Any], Any]:
    def step(instance: Any) -> Any:
        value = getattr(instance, attr)
        if value is None or type(value) is kind:
            return value
        return field.to_representation(value)

    return step


def _datetime(field: drf.DateTimeField, attr: str) -> Callable[[Any], Any] | None:
    """ISO 8601 in the field's time zone, read once per serializer: DRF asks Django for the current
    time zone (a context-local lookup) for every value."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601 or not settings.USE_TZ:
        return None
    tz = field.timezone if hasattr(field, "timezone") else field.default_timezone()

    def step(instance: Any) -> Any:
        value = getattr(instance, attr)
        if not value:
            return None
        if isinstance(value, str) or value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return step


def _general(field: drf.Field) -> Callable[[Any], Any]:
    def step(instance: Any) -> Any:
        attribute = field.get_attribute(instance)
        check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        return None if check is None else field.to_representation(attribute)

    return step


def build_plan(serializer: serializers.Serializer) -> list[Step]:  # type: ignore[type-arg]
    """One step per readable field of ``serializer``, in field order. For a serializer that cannot
    inherit the mixin (its docstring would become its schema description) or replaces some steps."""
    plan: list[Step] = []
    for field in serializer._readable_fields:
        if isinstance(field, serializers.SerializerMethodField):
            plan.append((field.field_name, getattr(serializer, field.method_name)))
        elif len(field.source_attrs) == 1 and (kind := _plain_type(field)) is not None:
            plan.append((field.field_name, _plain(field, field.source_attrs[0], kind)))
        elif (
            type(field) is drf.DateTimeField
            and len(field.source_attrs) == 1
            and (fast := _datetime(field, field.source_attrs[0])) is not None
        ):
            plan.append((field.field_name, fast))
        else:
            plan.append((field.field_name, _general(field)))
    return plan


class FastRepresentationMixin:
    """For a ``ModelSerializer``: the same dict as DRF's ``to_representation``, built faster."""

    _plan: list[Step] | None = None

    def _build_plan(self) -> list[Step]:
        return build_plan(self)  # type: ignore[arg-type]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # The plan holds bound fields and methods of this serializer instance: one per serializer
        # (the list serializer's child serves every row of a page).
        plan = self._plan
        if plan is None:
            plan = self._plan = self._build_plan()
        return {name: step(instance) for name, step in plan}
