"""Generic editor views, parametrised per model by a few class attributes.

Permissions are Django model permissions (``programs.add_asset`` ...), checked with
``PermissionRequiredMixin(raise_exception=True)``: a viewer gets 403, never a form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.views import View
from django.views.generic import CreateView, DeleteView, UpdateView

from programs.editing.versions import VersionConflict, save_if_unchanged
from programs.roles import ADMIN, role_of


def perm(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def record_url(obj: models.Model) -> str:
    """Where to go after saving: the record's page, else its asset's page, else its history."""
    if hasattr(obj, "get_absolute_url"):
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:
            pass
    asset = getattr(obj, "asset", None)
    if asset is not None:
        return asset.get_absolute_url()
    return reverse(f"{obj._meta.app_label}:{obj._meta.model_name}_history", args=[obj.pk])



class EditMixin(PermissionRequiredMixin):
    """Model-permission check plus the shared template context."""

    raise_exception = True
    action = "change"
    template_name = "edit/form.html"
    model: type[models.Model]

    def get_permission_required(self) -> tuple[str, ...]:
        return (perm(self.model, self.action),)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)  # type: ignore[misc]
        ctx["verbose_name"] = self.model._meta.verbose_name
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk is not None:
            ctx["history_url"] = reverse(f"{obj._meta.app_label}:{obj._meta.model_name}_history", args=[obj.pk])
        return ctx

    def get_initial(self) -> dict[str, Any]:
        """Prefill the asset from ``?asset=<pk>`` (links from the asset page)."""
        initial = super().get_initial()  # type: ignore[misc]
        if self.request.GET.get("asset", "").isdigit():  # type: ignore[attr-defined]
            initial["asset"] = int(self.request.GET["asset"])  # type: ignore[attr-defined]
        return initial


class FormsetMixin:
    """Inline formsets (aliases, deal parties, terms) edited with the main form and saved with it."""

    formset_classes: dict[str, Any] = {}
    request: HttpRequest
    object: Any
    model: type[models.Model]

    def get_formsets(self) -> dict[str, Any]:
        data = self.request.POST if self.request.method == "POST" else None
        instance = self.object if getattr(self, "object", None) is not None else self.model()
        return {name: cls(data, instance=instance, prefix=name) for name, cls in self.formset_classes.items()}

    def save_all(self, form: Any, formsets: dict[str, Any]) -> Any:
        """The record, its many-to-many fields, the formset rows, then what the form derives from them.

        ``save_after_formsets`` (the asset's code designation) runs last: a designation row typed with
        the code's own name is then that designation, not a second one with the same key.
        """
        obj = form.save(commit=False)
        obj.save()
        form.save_m2m()
        for formset in formsets.values():
            formset.instance = obj
            formset.save()
        after = getattr(form, "save_after_formsets", None)
        if after is not None:
            after(obj)
        return obj

    def formsets_invalid(self, form: Any, formsets: dict[str, Any]) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))  # type: ignore[attr-defined]


class RecordCreateView(EditMixin, FormsetMixin, CreateView):  # type: ignore[type-arg]
    action = "add"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("formsets", self.get_formsets())
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        formsets = self.get_formsets()
        if not all(fs.is_valid() for fs in formsets.values()):
            return self.formsets_invalid(form, formsets)
        with transaction.atomic():
            self.object = self.save_all(form, formsets)
        messages.success(self.request, f"Saved {self.object}.")
        return HttpResponseRedirect(record_url(self.object))


class RecordUpdateView(EditMixin, FormsetMixin, UpdateView):  # type: ignore[type-arg]
    """Refuses the save when the record's version moved since the form was read (no lost updates)."""

    action = "change"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("formsets", self.get_formsets())
        return super().get_context_data(**kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        formsets = self.get_formsets()
        if not all(fs.is_valid() for fs in formsets.values()):
            return self.formsets_invalid(form, formsets)
        read_version = form.cleaned_data["version"]  # required by VersionedModelForm on an edit
        try:
            with transaction.atomic():
                self.object = save_if_unchanged(form.instance, read_version, lambda: self.save_all(form, formsets))
        except VersionConflict as conflict:
            form.add_error(None, conflict.message)
            return self.render_to_response(self.get_context_data(form=form, conflict=conflict))
        messages.success(self.request, f"Saved {self.object}.")
        return HttpResponseRedirect(record_url(self.object))


class RecordDeleteView(EditMixin, DeleteView):  # type: ignore[type-arg]
    action = "delete"
    # Deletion is a confirmed form POST; a bare HTTP DELETE would skip the confirmation page.
    http_method_names = ["get", "post", "head", "options"]
    template_name = "edit/confirm_delete.html"

    def form_valid(self, form: Any) -> HttpResponse:
        obj = self.get_object()
        asset = getattr(obj, "asset", None)
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError as exc:
            return self._refused(obj, exc.protected_objects)
        except RestrictedError as exc:
            return self._refused(obj, exc.restricted_objects)
        messages.success(self.request, f"Deleted {obj}.")
        return HttpResponseRedirect(asset.get_absolute_url() if asset is not None else reverse("programs:home"))

    def _refused(self, obj: models.Model, blockers: Any) -> HttpResponse:
        names = sorted({str(b) for b in blockers})
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        messages.error(
            self.request,
            f"{obj} cannot be deleted: it is still used by {', '.join(names[:5])}{more}. "
            "Delete or re-link those first.",
        )
        return HttpResponseRedirect(record_url(obj))


class RecordHistoryView(PermissionRequiredMixin, View):
    """Every saved version of a record with field-by-field differences (simple_history diff_against)."""

    raise_exception = True
    model: type[models.Model]

    def get_permission_required(self) -> tuple[str, ...]:
        return (perm(self.model, "view"),)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        history = self.model.history.model  # type: ignore[attr-defined]
        records = list(history.objects.filter(id=pk).select_related("history_user").order_by("-history_id"))
        obj = self.model._default_manager.filter(pk=pk).first()
        if not records and obj is None:
            get_object_or_404(self.model, pk=pk)
        rows = []
        skip = {"version", "updated_at"}
        for newer, older in zip(records, [*records[1:], None], strict=True):
            changes = [c for c in newer.diff_against(older).changes if c.field not in skip] if older else []
            rows.append({"record": newer, "changes": changes})
        return render(request, "edit/history.html", {
            "object": obj, "rows": rows, "verbose_name": self.model._meta.verbose_name, "pk": pk,
            "can_restore": obj is None and role_of(request.user) == ADMIN,
            "restore_url": reverse(f"{self.model._meta.app_label}:{self.model._meta.model_name}_restore"),
        })


class RecordRestoreView(UserPassesTestMixin, View):
    """Admins only: recently deleted records of one model (GET) and restoring one of them (POST)."""

    raise_exception = True
    model: type[models.Model]

    def test_func(self) -> bool:
        return role_of(self.request.user) == ADMIN  # type: ignore[arg-type]

    def deleted(self) -> list[Any]:
        history = self.model.history.model  # type: ignore[attr-defined]
        live = self.model._default_manager.values("pk")
        return list(history.objects.filter(history_type="-").exclude(id__in=live)
                    .select_related("history_user").order_by("-history_date")[:100])

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "edit/deleted.html", {
            "records": self.deleted(), "verbose_name": self.model._meta.verbose_name_plural,
        })

    def post(self, request: HttpRequest) -> HttpResponse:
        history = self.model.history.model  # type: ignore[attr-defined]
        record = history.objects.filter(history_id=request.POST.get("history_id"), history_type="-").first()
        if record is None or self.model._default_manager.filter(pk=record.id).exists():
            messages.error(request, "Nothing to restore: the record is unknown or already live.")
            return HttpResponseRedirect(request.path)
        # The last state before deletion: the '-' row repeats it.
        obj = record.instance
        try:
            with transaction.atomic():
                obj.save()
        except Exception as exc:  # noqa: BLE001 - a missing related record must not become a 500
            messages.error(request, f"Could not restore {obj}: {exc}")
            return HttpResponseRedirect(request.path)
        messages.success(request, f"Restored {obj}.")
        return HttpResponseRedirect(record_url(obj))
