"""Admin inputs for related records that survive malformed ids (a 500 in plain Django admin).

Django's ``AutocompleteSelect`` re-renders the submitted value by querying ``pk__in=<raw values>``;
a value that is not an id (``"abc"`` for an integer key) raises ``ValueError`` there. The model
choice fields look up any integer, and one past the database's range (a 40-digit id) raises
``OverflowError`` on SQLite and ``DataError`` on PostgreSQL. Here the fields refuse such values as
"Select a valid choice" before any query, and the widgets leave them out when re-rendering.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def _is_valid_key(db_field: Any, value: Any) -> bool:
    """``value`` can name a row of ``db_field``'s target: the right type and within the column's range."""
    opts = db_field.remote_field.model._meta
    target = opts.get_field(getattr(db_field.remote_field, "field_name", None) or opts.pk.name)
    try:
        target.run_validators(target.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class _ValidIdsMixin:
    field: Any

    def optgroups(self, name: str, value: list[Any], attr: dict[str, Any] | None = None) -> Any:
        valid = [v for v in value if _is_valid_key(self.field, v)]
        return super().optgroups(name, valid, attr)  # type: ignore[misc]


class SafeModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    db_field: Any = None

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _is_valid_key(self.db_field, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    db_field: Any = None

    def _check_values(self, value: Any) -> Any:
        for v in value if isinstance(value, (list, tuple)) else [value]:
            if not _is_valid_key(self.db_field, v):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v}
                )
        return super()._check_values(value)


class SafeAutocompleteSelect(_ValidIdsMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidIdsMixin, widgets.AutocompleteSelectMultiple):
    pass


def _bound(field_class: type[Any], db_field: Any) -> type[Any]:
    return type(field_class.__name__, (field_class,), {"db_field": db_field})


class SafeRelatedInputsMixin:
    """For ModelAdmin and inline classes: every related field gets the fields above, and the
    ``autocomplete_fields`` the widgets."""

    admin_site: Any

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", _bound(SafeModelChoiceField, db_field))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", _bound(SafeModelMultipleChoiceField, db_field))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
