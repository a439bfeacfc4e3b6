"""The editor's HTML forms, found in the URL configuration: add/edit views, their form and formsets.

Shared by the unique-rule test and the generated-input test, so a view added later is covered by
both without editing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import get_resolver, reverse

from tests.faults.formdata import form_values
from tests.test_permission_matrix import _walk

MODEL_APPS = ("programs", "milestones")


@dataclass(frozen=True)
class EditView:
    name: str  # "programs:company_add"
    view: type[Any]

    @property
    def model(self) -> type[models.Model]:
        return self.view.model  # type: ignore[no-any-return]

    @property
    def form_class(self) -> type[Any]:
        return self.view.form_class  # type: ignore[no-any-return]

    @property
    def formsets(self) -> dict[str, type[Any]]:
        return dict(getattr(self.view, "formset_classes", {}) or {})

    @property
    def is_edit(self) -> bool:
        return self.name.endswith("_edit")

    def url(self, obj: models.Model | None = None) -> str:
        return reverse(self.name, args=[obj.pk] if self.is_edit and obj is not None else [])


def edit_views() -> list[EditView]:
    """Every class-based add or edit view with a model form, by URL name."""
    found: dict[str, EditView] = {}
    for _pattern, name, entry in _walk(get_resolver()):
        view = getattr(entry.callback, "view_class", None)
        if view is None or not getattr(view, "form_class", None) or not name.endswith(("_add", "_edit")):
            continue
        found.setdefault(name, EditView(name, view))
    return sorted(found.values(), key=lambda v: v.name)


def counts() -> dict[str, int]:
    """Rows per model of the data apps (history tables included): a refused input changes none."""
    return {m._meta.label: m._base_manager.count() for label in MODEL_APPS
            for m in apps.get_app_config(label).get_models()}


def management(prefix: str, total: int = 0, initial: int = 0) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def page_data(client: Client, view: EditView, obj: models.Model | None) -> dict[str, Any]:
    """What the browser posts back unchanged from the view's page (form, formsets, management forms)."""
    response = client.get(view.url(obj))
    assert response.status_code == 200, f"GET {view.url(obj)} -> {response.status_code}"
    data = form_values(response.context["form"])
    for prefix, formset in response.context["formsets"].items():
        data.update(management(prefix, len(formset.initial_forms), len(formset.initial_forms)))
        for form in formset.initial_forms:
            data.update(form_values(form))
    return data


def editor_client(username: str = "editor-fuzz") -> Client:
    from django.contrib.auth import get_user_model

    from programs.roles import EDITOR, ensure_roles

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.set([ensure_roles()[EDITOR]])
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
