"""Form pieces every editor form shares: the version carried for optimistic locking, precise dates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from programs.validators import parse_precise_date


class VersionedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that carries the record's ``version`` as a hidden field.

    The view passes ``cleaned_data["version"]`` to ``programs.services.save_if_unchanged``.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version


class PreciseDateField(forms.CharField):
    """A text box for a date at any precision; ``clean`` returns a ``PreciseDate``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "2025-03-14, 2025-03, Q2 2026, 2026-H1 or 2026")
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return parse_precise_date(text or "")


def add_model_errors(form: forms.BaseForm, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a model's ``ValidationError`` beside the form fields of the same name (others on top)."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = aliases.get(field, field)
        if name != NON_FIELD_ERRORS and name in form.fields:
            form.add_error(name, errors)
        else:
            form.add_error(None, errors)
