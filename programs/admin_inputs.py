"""Admin inputs for related records that survive malformed ids (a 500 in plain Django admin).

Django's ``AutocompleteSelect`` re-renders the submitted value by querying ``pk__in=<raw values>``;
a value that is not an id (``"abc"`` for an integer key) raises ``ValueError`` there. The model
choice fields look up any integer, and one past the database's range (a 40-digit id) raises
``OverflowError`` on SQLite and ``DataError`` on PostgreSQL. Here the fields (``programs.forms.keys``)
refuse such values as "Select a valid choice" before any query, and the widgets leave them out when
re-rendering.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import widgets
from django.http import HttpRequest

from programs.forms.base import CheckedInlineFormSet, CheckedModelForm
from programs.forms.keys import SafeModelChoiceField, SafeModelMultipleChoiceField, is_valid_key


class _ValidIdsMixin:
    field: Any

    def optgroups(self, name: str, value: list[Any], attr: dict[str, Any] | None = None) -> Any:
        valid = [v for v in value if is_valid_key(self.field, v)]
        return super().optgroups(name, valid, attr)  # type: ignore[misc]


class SafeAutocompleteSelect(_ValidIdsMixin, widgets.AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidIdsMixin, widgets.AutocompleteSelectMultiple):
    pass


def _bound(field_class: type[Any], db_field: Any) -> type[Any]:
    return type(field_class.__name__, (field_class,), {"db_field": db_field})


class SafeRelatedInputsMixin:
    """For ModelAdmin and inline classes: every related field gets the fields above, and the
    ``autocomplete_fields`` the widgets. Forms and inline formsets check every unique rule and
    constraint of their model (``programs.forms.base``), so a clash is a message, not a 500."""

    admin_site: Any
    form = CheckedModelForm
    formset = CheckedInlineFormSet  # used by inlines only

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
