"""Form pieces every editor form shares: every unique rule checked, the version read, precise dates.

``CheckedModelForm`` exists because Django's ModelForm leaves the unique rules and constraints on
fields it does not show (a slug made from the name, a ``normalized`` key) to the database, whose
IntegrityError was a 500: here they are checked like the others and reported beside the input that
feeds them (``programs.editing.uniqueness``). ``VersionedModelForm`` adds the version the editor read, which
an edit must send back: without it a save would be unconditional (a lost update). Nothing here saves.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField, construct_instance

from programs.editing.uniqueness import check_constraints, error_key, row_key, unique_errors, unique_rules
from programs.forms.keys import make_keys_safe
from programs.validators import parse_precise_date

MISSING_VERSION = ("This form did not send back the version of the record it was read at, so saving could "
                   "overwrite someone else's change. Reload the page and make your change again.")


def _model_field_names(form: forms.BaseModelForm) -> set[str]:  # type: ignore[type-arg]
    return {f.name for f in form._meta.model._meta.concrete_fields}


class CheckedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm that checks every constraint and unique rule of its model before saving.

    ``derived_fields`` maps a model field the code fills (``slug``) to the form field it comes from
    (``name``): a clash on it is shown beside that field. Fields outside the form are checked with
    the values the instance will be saved with.
    """

    derived_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_keys_safe(self)  # a 40-digit id is "not a valid choice", not a database error

    def _parent_fields(self) -> set[str]:
        """The inline formset's link to its parent: checked for uniqueness, not as an input."""
        return {name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)}

    def _post_clean(self) -> None:
        # Django's ModelForm._post_clean, except that constraints and unique rules are checked below
        # with the derived fields filled and included, instead of skipped for not being in the form.
        opts = self._meta
        parents = self._parent_fields()
        exclude = self._get_validation_exclusions() | parents  # type: ignore[attr-defined]
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]
        before_write = getattr(self.instance, "before_write", None)
        if callable(before_write):
            before_write()  # fills the derived fields exactly as the save will
        failed = self._failed_model_fields()
        self._check_constraints(failed | parents)
        if self._validate_unique:  # type: ignore[attr-defined]  # set by ModelForm.clean()
            self._check_unique(failed, parents)

    def validate_unique(self) -> None:
        """Done in ``_post_clean`` for every rule of the model (Django's checks only the form's fields)."""

    def _failed_model_fields(self) -> set[str]:
        """Model fields whose input is invalid, and the fields derived from such inputs.

        A clash already reported (code "unique", e.g. a code naming another asset) leaves the value
        valid: the rules on it are still checked, so each is reported.
        """
        invalid = {name for name, errors in self.errors.as_data().items()
                   if any(e.code != "unique" for e in errors)}
        failed = invalid & _model_field_names(self)
        failed |= {field for field, source in self.derived_fields.items() if source in invalid}
        return failed

    def _check_constraints(self, exclude: set[str]) -> None:
        """Check constraints (not the unique ones, which ``_check_unique`` reports beside their field)."""
        try:
            check_constraints(self.instance, exclude)
        except ValidationError as exc:
            self._update_errors(exc)  # type: ignore[attr-defined]

    def _check_unique(self, exclude: set[str], parents: set[str]) -> None:
        inputs = set(self.fields) & _model_field_names(self)
        errors = unique_errors(self.instance, inputs=inputs, derived=self.derived_fields, exclude=exclude,
                               parents=parents)
        for key, messages in errors.items():
            self.add_error(key if key in self.fields else None, messages)  # type: ignore[arg-type]


class CheckedInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """An inline formset whose rows may not clash with each other under any unique rule either.

    Each row is checked against saved records by its ``CheckedModelForm``; two new rows with the same
    alias (or two standing terms of one deal) pass that check one by one, and Django's own formset
    check knows only rules on fields the form shows. This one covers every rule of the model.
    """

    def clean(self) -> None:
        # Before Django's own check (super().clean()), which would flag the second row of a pair with a
        # generic message and so hide the rules it does not know.
        self._check_rows()
        super().clean()

    def _check_rows(self) -> None:
        parents = {self.fk.name}
        rules = unique_rules(self.model)  # type: ignore[arg-type]
        seen: dict[tuple[str, tuple[Any, ...]], forms.BaseForm] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors or self._should_delete_form(form):  # type: ignore[attr-defined]
                continue
            if form not in self.initial_forms and not form.has_changed():
                continue  # an empty extra row: not saved
            derived = getattr(form, "derived_fields", {})
            for rule in rules:
                key = row_key(rule, form.instance, parents)
                if key is None:
                    continue
                if (rule.name, key) in seen:
                    where = error_key(rule, set(form.fields), derived, parents)
                    form.add_error(where if where in form.fields else None, ValidationError(
                        "Another row here has the same %(fields)s.", code="unique",
                        params={"rule": rule.name, "fields": ", ".join(rule.fields)},
                    ))
                else:
                    seen[(rule.name, key)] = form


def require_read_version(form: forms.BaseForm, editing: bool) -> None:
    """Refuse an edit whose hidden ``version`` is missing or malformed, with a message on top.

    The field is hidden, so its own errors would not show: they become one message above the form.
    """
    if not editing:
        return
    if "version" in form.errors or form.cleaned_data.get("version") is None:
        form.errors.pop("version", None)
        form.cleaned_data.pop("version", None)
        form.add_error(None, ValidationError(MISSING_VERSION, code="missing_version"))


class VersionedModelForm(CheckedModelForm):
    """A checked ModelForm that carries the record's ``version`` as a hidden field.

    The view passes ``cleaned_data["version"]`` to ``programs.editing.versions.save_if_unchanged``; an edit
    without it is refused like a stale one.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        require_read_version(self, editing=self.instance.pk is not None)
        return data


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
