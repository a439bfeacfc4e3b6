"""Related-record inputs that refuse malformed ids instead of passing them to the database.

Django's model choice fields look up any integer: one past the column's range (a 40-digit id) raises
``OverflowError`` on SQLite and ``DataError`` on PostgreSQL, a 500. The fields here check the value
against the key column's own type and range first and call it "Select a valid choice". Shared by the
admin (``programs.admin_inputs``) and every ``CheckedModelForm``; nothing here queries or writes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def is_valid_key(db_field: Any, value: Any) -> bool:
    """``value`` can name a row of ``db_field``'s target: the right type and within the column's range."""
    opts = db_field.remote_field.model._meta
    target = opts.get_field(getattr(db_field.remote_field, "field_name", None) or opts.pk.name)
    try:
        target.run_validators(target.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class SafeKeyMixin:
    """For a ``ModelChoiceField``: a malformed id is an invalid choice, never a query."""

    db_field: Any = None
    empty_values: Any
    error_messages: dict[str, Any]

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not is_valid_key(self.db_field, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)  # type: ignore[misc]


class SafeKeysMixin:
    """For a ``ModelMultipleChoiceField``: every malformed id is an invalid choice, never a query."""

    db_field: Any = None
    error_messages: dict[str, Any]

    def _check_values(self, value: Any) -> Any:
        for v in value if isinstance(value, list | tuple) else [value]:
            if not is_valid_key(self.db_field, v):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v}
                )
        return super()._check_values(value)  # type: ignore[misc]


class SafeModelChoiceField(SafeKeyMixin, forms.ModelChoiceField):  # type: ignore[type-arg]
    pass


class SafeModelMultipleChoiceField(SafeKeysMixin, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    pass


def make_keys_safe(form: forms.BaseModelForm) -> None:  # type: ignore[type-arg]
    """Give every model choice field of ``form`` the checks above (keeping its own class and widget)."""
    opts = form._meta.model._meta
    for name, field in form.fields.items():
        if isinstance(field, SafeKeyMixin | SafeKeysMixin):
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            mixin: type[Any] = SafeKeysMixin
        elif isinstance(field, forms.ModelChoiceField):
            mixin = SafeKeyMixin
        else:
            continue
        try:
            db_field = opts.get_field(name)
        except Exception:  # noqa: BLE001 - a form-only field (FieldDoesNotExist): nothing to check against
            continue
        if getattr(db_field, "remote_field", None) is None:
            continue
        field.__class__ = type(field.__class__.__name__, (mixin, field.__class__), {"db_field": db_field})
