"""Every unique rule of every model is reported, not raised, by each form and serializer of that model.

Rules are read from the models at run time (``unique=True``, ``unique_together``, ``UniqueConstraint``
on fields or expressions, conditional or not), so a rule added later is covered. Forms come from the
URL configuration (editor add/edit views and their inline formsets) and the admin site (its model
forms and inlines); serializers from the API router. Each input copies a saved record's values into a
new record (and, for formset rows, twice into one formset); the test asserts the refusal: no 5xx,
nothing written, and for every rule the copy reaches, a message naming that rule beside the field
that feeds it (or on top, when several fields do).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.base import ModelState
from django.test import Client
from rest_framework import serializers
from rest_framework.test import APIClient

from adctrack.api_urls import router
from programs.editing.uniqueness import UniqueRule, unique_rules
from tests.faults.editforms import MODEL_APPS, EditView, counts, edit_views, editor_client, management, page_data
from tests.faults.formdata import admin_post_data, form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_token(db: None) -> str:
    from knox.models import AuthToken

    from programs.roles import EDITOR, ensure_roles

    user = get_user_model().objects.create(username="unique-api-editor")
    user.groups.set([ensure_roles()[EDITOR]])
    return str(AuthToken.objects.create(user=user, expiry=None)[1])
CANDIDATES = 12  # saved records tried as the copy's source per form, until each reachable rule is shown


def _names(rules: list[UniqueRule]) -> set[str]:
    return {rule.name for rule in rules}


def _models() -> list[type[models.Model]]:
    return [m for label in MODEL_APPS for m in apps.get_app_config(label).get_models()]


def _same(rule: UniqueRule, built: models.Model, saved: models.Model, skip: set[str] = frozenset()) -> bool:
    """The copy ``built`` has the saved record's values for every field of ``rule`` (it reaches the rule)."""
    for name in rule.all_fields:
        if name in skip:
            continue
        attname = saved._meta.get_field(name).attname
        if getattr(built, attname) != getattr(saved, attname):
            return False
    return True


def _holds(rule: UniqueRule, saved: models.Model) -> bool:
    """A new copy of ``saved`` would break ``rule`` in the database, as Django's own constraint check
    says: not when a compared field is NULL (NULLs never clash), nor when a condition does not hold."""
    clone = copy.copy(saved)
    clone.pk = None
    clone._state = ModelState()
    try:
        rule.constraint.validate(type(saved), clone)
    except ValidationError:
        return True
    return False


def _reported(errors: dict[str, list[Any]], rule: UniqueRule) -> list[str]:
    """Where ``rule`` was reported in a form's ``errors.as_data()``: the keys carrying its message."""
    return [key for key, found in errors.items() for e in found if (getattr(e, "params", None) or {}).get("rule")
            == rule.name]


def _expected_key(rule: UniqueRule, form: Any, parents: set[str]) -> str | None:
    """The one field that feeds ``rule`` in ``form`` (directly or derived), or None when several do."""
    derived = getattr(form, "derived_fields", {})
    feeding = {derived.get(name, name) for name in rule.all_fields if name not in parents}
    feeding = {name for name in feeding if name in form.fields}
    return next(iter(feeding)) if len(feeding) == 1 else None


def _assert_reported(form: Any, rule: UniqueRule, where: str, parents: set[str] = frozenset()) -> None:
    keys = _reported(form.errors.as_data(), rule)
    assert keys, f"{where}: rule {rule.name} not reported; errors: {form.errors.as_data()}"
    expected = _expected_key(rule, form, parents)
    assert expected in keys if expected else set(keys) <= {NON_FIELD_ERRORS, *form.fields}, (
        f"{where}: rule {rule.name} reported at {keys}, not beside {expected}")


def test_it_reads_every_unique_rule_of_every_model() -> None:
    for model in _models():
        names = {rule.name for rule in unique_rules(model)}
        fields = {rule.fields for rule in unique_rules(model)}
        opts = model._meta
        for field in opts.concrete_fields:
            if field.unique and not field.primary_key:
                assert (field.name,) in fields, f"{opts.label}.{field.name}"
        for together in opts.unique_together:
            assert tuple(together) in fields, f"{opts.label} {together}"
        for constraint in opts.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                assert constraint.name in names, f"{opts.label} {constraint.name}"


# --- editor forms ------------------------------------------------------------------------------------


def _reachable(rule: UniqueRule, inputs: set[str]) -> bool:
    return set(rule.all_fields) <= inputs


def _form_inputs(form_class: type[Any], parents: set[str] = frozenset()) -> set[str]:
    model = form_class._meta.model
    names = {f.name for f in model._meta.concrete_fields}
    return (set(form_class.base_fields) & names) | set(getattr(form_class, "derived_fields", {})) | parents


ADD_VIEWS = [v for v in edit_views() if v.name.endswith("_add")]
EDIT_VIEWS_WITH_ROWS = [v for v in edit_views() if v.is_edit and v.formsets]


@pytest.mark.parametrize("view", ADD_VIEWS, ids=lambda v: v.name)
def test_the_editor_form_reports_each_rule_of_its_model(demo_data: None, view: EditView) -> None:
    client = editor_client()
    rules = [r for r in unique_rules(view.model) if _reachable(r, _form_inputs(view.form_class))]
    shown: set[str] = set()
    for saved in view.model._default_manager.order_by("pk")[:CANDIDATES] if rules else []:
        edit = next(v for v in edit_views() if v.name == view.name.replace("_add", "_edit"))
        data = page_data(client, edit, saved)
        data.pop("version", None)
        for prefix in view.formsets:  # the copy's own rows are not part of this test
            data = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-")} | management(prefix)
        before = counts()
        response = client.post(view.url(), data)
        assert response.status_code == 200, f"{view.name}: copy of {saved!r} -> {response.status_code}"
        assert counts() == before
        form = response.context["form"]
        for rule in rules:
            if _holds(rule, saved) and _same(rule, form.instance, saved):
                _assert_reported(form, rule, f"{view.name} (copy of {saved!r})")
                shown.add(rule.name)
        if shown == _names(rules):
            break
    assert shown == _names(rules), f"{view.name}: no saved record reached {_names(rules) - shown}"


def _rows_case(client: Client, url: str, data: dict[str, Any], prefix: str, formset: Any, child: models.Model,
               rules: list[UniqueRule], where: str) -> set[str]:
    """Post ``data`` plus two new rows of ``formset`` copied from ``child``; the rules shown as reported."""
    total = int(data[f"{prefix}-INITIAL_FORMS"])  # the page's empty extra rows are not sent
    row = form_values(formset.form(instance=child, prefix="__row__"))
    row.pop(f"__row__-{formset.fk.name}", None)  # the new rows belong to this page's record
    for i in (total, total + 1):
        data |= {key.replace("__row__", f"{prefix}-{i}"): value for key, value in row.items()}
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 2)
    before = counts()
    response = client.post(url, data)
    assert response.status_code == 200, f"{where}: two rows copied from {child!r} -> {response.status_code}"
    assert counts() == before
    bound = _formset_in(response, prefix)
    parents = {bound.fk.name}
    shown = set()
    for rule in rules:
        new_rows = bound.forms[total:]
        if not (_holds(rule, child) and all(_same(rule, f.instance, child, parents) for f in new_rows)):
            continue
        forms_with = [f for f in bound.forms if _reported(f.errors.as_data(), rule)]
        assert forms_with, f"{where}: rule {rule.name} not reported for two rows copied from {child!r}: " \
                           f"{[f.errors for f in bound.forms]} {bound.non_form_errors()}"
        for form in forms_with:
            _assert_reported(form, rule, where, parents)
        shown.add(rule.name)
    return shown


def _formset_in(response: Any, prefix: str) -> Any:
    context = response.context
    if "formsets" in context:
        return context["formsets"][prefix]
    return next(inline.formset for inline in context["inline_admin_formsets"] if inline.formset.prefix == prefix)


@pytest.mark.parametrize("view", EDIT_VIEWS_WITH_ROWS, ids=lambda v: v.name)
def test_the_editor_formsets_report_each_rule_of_their_rows(demo_data: None, view: EditView) -> None:
    client = editor_client()
    parent = view.model._default_manager.order_by("pk").first()
    assert parent is not None, f"no {view.model._meta.label} in the demo data"
    for prefix, formset_class in view.formsets.items():
        child_model = formset_class.model
        fk = formset_class.fk.name
        rules = [r for r in unique_rules(child_model) if _reachable(r, _form_inputs(formset_class.form, {fk}))]
        shown: set[str] = set()
        for child in child_model._default_manager.order_by("pk")[:CANDIDATES]:
            data = page_data(client, view, parent)
            shown |= _rows_case(client, view.url(parent), data, prefix, formset_class, child, rules,
                                f"{view.name} {prefix}")
            if shown == _names(rules):
                break
        assert shown == _names(rules), f"{view.name} {prefix}: not reached {_names(rules) - shown}"


# --- admin ---------------------------------------------------------------------------------------------


def _admin_models() -> list[tuple[type[models.Model], Any]]:
    return sorted(((m, a) for m, a in admin.site._registry.items() if m._meta.app_label in MODEL_APPS),
                  key=lambda pair: pair[0]._meta.label)


def _superuser_client() -> Client:
    user = get_user_model().objects.create_superuser("unique-admin", "unique-admin@example.org", None)
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize("model", [m for m, _ in _admin_models()], ids=lambda m: m._meta.label)
def test_the_admin_forms_report_each_rule_of_their_model(demo_data: None, model: type[models.Model]) -> None:
    client = _superuser_client()
    opts = model._meta
    add_url = f"/admin/{opts.app_label}/{opts.model_name}/add/"
    add_page = client.get(add_url)
    if add_page.status_code == 403:  # read-only in the admin (no add permission): no form to check
        return
    assert add_page.status_code == 200
    form_class = type(add_page.context["adminform"].form)
    rules = [r for r in unique_rules(model) if _reachable(r, _form_inputs(form_class))]
    empty_inlines: dict[str, str] = {}
    for inline in add_page.context["inline_admin_formsets"]:
        empty_inlines |= management(inline.formset.prefix)
    shown: set[str] = set()
    for saved in model._default_manager.order_by("pk")[:CANDIDATES] if rules else []:
        change = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{saved.pk}/change/")
        data = form_values(change.context["adminform"].form) | empty_inlines
        before = counts()
        response = client.post(add_url, data)
        assert response.status_code == 200, f"admin {opts.label}: copy of {saved!r} -> {response.status_code}"
        assert counts() == before
        form = response.context["adminform"].form
        for rule in rules:
            if _holds(rule, saved) and _same(rule, form.instance, saved):
                _assert_reported(form, rule, f"admin {opts.label} (copy of {saved!r})")
                shown.add(rule.name)
        if shown == _names(rules):
            break
    assert shown == _names(rules), f"admin {opts.label}: not reached {_names(rules) - shown}"


ADMIN_INLINES = [(m, inline) for m, a in _admin_models() for inline in a.inlines]


@pytest.mark.parametrize(("model", "inline"), ADMIN_INLINES, ids=lambda x: getattr(x, "__name__", None)
                         or x._meta.label)
def test_the_admin_inlines_report_each_rule_of_their_rows(demo_data: None, model: type[models.Model],
                                                          inline: type[Any]) -> None:
    client = _superuser_client()
    opts = model._meta
    parent = model._default_manager.order_by("pk").first()
    assert parent is not None, f"no {opts.label} in the demo data"
    url = f"/admin/{opts.app_label}/{opts.model_name}/{parent.pk}/change/"
    page = client.get(url)
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is inline.model)
    fk = formset.fk.name
    rules = [r for r in unique_rules(inline.model) if _reachable(r, _form_inputs(type(formset).form, {fk}))]
    shown: set[str] = set()
    for child in inline.model._default_manager.order_by("pk")[:CANDIDATES] if rules else []:
        data = admin_post_data(client.get(url))
        shown |= _rows_case(client, url, data, formset.prefix, type(formset), child, rules,
                            f"admin {opts.label} {inline.__name__}")
        if shown == _names(rules):
            break
    assert shown == _names(rules), f"admin {inline.__name__}: not reached {_names(rules) - shown}"


# --- API -----------------------------------------------------------------------------------------------


def _writable_viewsets() -> list[tuple[str, Any]]:
    found = []
    for prefix, viewset, _basename in router.registry:
        serializer = getattr(viewset, "serializer_class", None)
        if serializer is None or not issubclass(serializer, serializers.ModelSerializer):
            continue
        if "create" in dir(viewset) and serializer.Meta.model._meta.app_label in MODEL_APPS:
            found.append((prefix, viewset))
    return found


@pytest.mark.parametrize(("prefix", "viewset"), _writable_viewsets(), ids=lambda x: x if isinstance(x, str) else "")
def test_the_serializer_reports_each_rule_of_its_model(demo_data: None, editor_token: str, prefix: str,
                                                       viewset: Any) -> None:
    serializer_class = viewset.serializer_class
    model = serializer_class.Meta.model
    probe = serializer_class()
    writable = {getattr(f, "source", name) for name, f in probe.fields.items() if not f.read_only}
    inputs = (writable | set(getattr(serializer_class, "derived_fields", {}))) & {
        f.name for f in model._meta.concrete_fields}
    rules = [r for r in unique_rules(model) if _reachable(r, inputs)]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {editor_token}")
    shown: set[str] = set()
    for saved in model._default_manager.order_by("pk")[:CANDIDATES] if rules else []:
        read = client.get(f"/api/v1/{prefix}/{saved.pk}/")
        assert read.status_code == 200, read.content
        body = {k: v for k, v in read.json().items() if k in probe.fields and not probe.fields[k].read_only}
        before = counts()
        response = client.post(f"/api/v1/{prefix}/", body, format="json")
        assert response.status_code in {400, 409}, f"POST {prefix} copy of {saved!r} -> {response.status_code}"
        assert counts() == before
        error = response.json()["error"]
        fields = error.get("fields", {})
        per_key: dict[str, int] = {}
        for rule in rules:
            if not _holds(rule, saved):
                continue
            feeding = {_input_name(probe, n) for n in rule.all_fields}
            key = next(iter(feeding)) if len(feeding) == 1 else "non_field_errors"
            if response.status_code == 409 and (key in fields or key == "non_field_errors" and error["message"]):
                shown.add(rule.name)
                per_key[key] = per_key.get(key, 0) + 1
        for key, reached in per_key.items():  # one message per rule, even when two rules share a field
            if key != "non_field_errors":
                assert len(fields[key]) >= reached, f"API {prefix}: {key}: {fields[key]}"
        if shown == _names(rules):
            break
    assert shown == _names(rules), f"API {prefix}: not reported {_names(rules) - shown}"


def _input_name(probe: Any, model_field: str) -> str:
    derived = getattr(probe, "derived_fields", {})
    if model_field in derived and model_field not in probe.fields:
        return str(derived[model_field])
    for name, field in probe.fields.items():
        if getattr(field, "source", name) == model_field and not field.read_only:
            return str(name)
    return model_field
