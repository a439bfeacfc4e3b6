"""POST data for a Django admin change/add page, read back from the page's own bound forms."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.http import HttpResponse


def _form_values(form: BaseForm, data: dict[str, Any]) -> None:
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        key = form.add_prefix(name)
        if isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = str(field.prepare_value(value)) if hasattr(field, "prepare_value") else str(value)


def admin_post_data(response: HttpResponse) -> dict[str, Any]:
    """Every field of the admin form and its inline formsets (with management forms), as the browser sends it."""
    context = response.context
    data: dict[str, Any] = {}
    _form_values(context["adminform"].form, data)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        _form_values(formset.management_form, data)
        for form in formset.initial_forms:
            _form_values(form, data)
    return data


def record_post_data(response: Any) -> dict[str, Any]:  # the test client's response type is private
    """Every field of an editor form (``templates/edit/form.html``) and its formsets, as the browser sends it."""
    context = response.context
    data: dict[str, Any] = {}
    _form_values(context["form"], data)
    for formset in context["formsets"].values():
        _form_values(formset.management_form, data)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))  # no blank rows
        for form in formset.initial_forms:
            _form_values(form, data)
    return data


def form_values(form: BaseForm) -> dict[str, Any]:
    """Every field of one form, under its prefix, as the browser would send it."""
    data: dict[str, Any] = {}
    _form_values(form, data)
    return data
