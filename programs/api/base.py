"""Shared API machinery: permissions, pagination, ETag/If-Match, model-clean validation, history user.

Viewsets of both apps subclass ``TrackedModelViewSet``; serializers mix in ``ModelCleanMixin`` so the
API runs the same ``Model.clean()`` rules as the editor forms.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import BaseUniqueForValidator, UniqueTogetherValidator, UniqueValidator
from simple_history.models import HistoricalRecords

from programs.api.errors import Conflict, ErrorSerializer, PreconditionFailed
from programs.api.pagination import CodeCursorPagination, IdCursorPagination, StandardPagination
from programs.editing.uniqueness import check_constraints, unique_errors


class RolePermissions(permissions.DjangoModelPermissions):
    """Viewers read, editors write: ``programs.view_asset`` to read, ``add``/``change``/``delete`` to write.

    Anonymous users read only when ``ADCTRACK_PUBLIC_READ`` is on. Hidden queries: the user's
    permissions are loaded once per request (Django caches them on the user).
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
    }

    def has_permission(self, request: Request, view: Any) -> bool:
        if (
            request.method in permissions.SAFE_METHODS
            and settings.ADCTRACK_PUBLIC_READ
            and not request.user.is_authenticated
        ):
            return True
        return super().has_permission(request, view)


def etag_for(instance: models.Model) -> str:
    """Weak ETag from the model name, primary key and ``TrackedModel.version``: W/"asset-12-3"."""
    return f'W/"{instance._meta.model_name}-{instance.pk}-{getattr(instance, "version", 0)}"'


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input; `fields` names each invalid field."),
    401: OpenApiResponse(ErrorSerializer, description="No or invalid credentials."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="No such record."),
    409: OpenApiResponse(ErrorSerializer, description="Conflicts with an existing record (named in the message)."),
    412: OpenApiResponse(ErrorSerializer, description="Stale If-Match: the record changed since you read it."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests: wait the seconds in `Retry-After` "
                                                      "(see Rate limits in the description)."),
}
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description='ETag from an earlier GET, e.g. W/"asset-12-3". A stale value gets 412 and changes nothing.',
)


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {c: ERROR_RESPONSES[c] for c in codes}


def crud_schema(name: str, serializer: type[serializers.BaseSerializer]) -> dict[str, Any]:
    """``extend_schema_view`` arguments documenting errors and If-Match on every operation of a viewset."""
    read = _errors(400, 401, 403, 404, 429)
    write = _errors(400, 401, 403, 404, 409, 412, 429)
    return {
        "list": extend_schema(summary=f"List {name}", responses={200: serializer(many=True), **read}),
        "retrieve": extend_schema(summary=f"One {name}", responses={200: serializer, **read}),
        "create": extend_schema(summary=f"Create {name}", responses={201: serializer, **write}),
        "update": extend_schema(
            summary=f"Replace {name}", parameters=[IF_MATCH], responses={200: serializer, **write}
        ),
        "partial_update": extend_schema(
            summary=f"Change {name}", parameters=[IF_MATCH], responses={200: serializer, **write}
        ),
        "destroy": extend_schema(summary=f"Delete {name}", parameters=[IF_MATCH], responses={204: None, **write}),
    }


class ModelCleanMixin:
    """Run the model's ``full_clean()`` on the would-be instance, so the API shares the forms' rules.

    Many-to-many and non-model keys in ``attrs`` are skipped (the serializer validates them itself).
    Every unique rule of the model is checked here (``programs.editing.uniqueness``), derived fields filled
    (``before_write``) and included, so a clash is a 409 naming the field and the record it clashes
    with, never the database's IntegrityError. DRF's own unique validators are dropped: they would
    report only the rules on fields the serializer shows, and stop before this check.
    """

    derived_fields: dict[str, str] = {}  # model field -> the serializer field it is computed from

    def build_standard_field(self, field_name: str, model_field: models.Field) -> tuple[Any, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)  # type: ignore[misc]
        if "validators" in kwargs:
            kwargs["validators"] = [v for v in kwargs["validators"] if not isinstance(v, UniqueValidator)]
        return field_class, kwargs

    def get_validators(self) -> list[Any]:
        return [v for v in super().get_validators()  # type: ignore[misc]
                if not isinstance(v, UniqueTogetherValidator | BaseUniqueForValidator)]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)  # type: ignore[misc]
        model = self.Meta.model  # type: ignore[attr-defined]
        instance = copy.copy(self.instance) if getattr(self, "instance", None) is not None else model()  # type: ignore[attr-defined]
        concrete = {f.name: f for f in model._meta.concrete_fields}
        for key, value in attrs.items():
            if key in concrete:
                setattr(instance, key, value)
        exclude = [name for name, f in concrete.items() if not f.editable and name not in attrs]
        try:
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        before_write = getattr(instance, "before_write", None)
        if callable(before_write):
            before_write()  # the derived fields (slug, normalized keys) as the save will write them
        # A field the client sent itself (an explicit slug) is an input, not derived.
        sent = self.initial_data if isinstance(getattr(self, "initial_data", None), dict) else {}  # type: ignore[attr-defined]
        derived = {f: source for f, source in self.derived_fields.items() if f not in sent}
        exclude = [f for f in exclude if f not in self.derived_fields]
        try:
            check_constraints(instance, exclude)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        inputs = {self._model_field(name) for name, field in self.fields.items()  # type: ignore[attr-defined]
                  if not field.read_only} & concrete.keys()
        clashes = unique_errors(instance, inputs=inputs, derived=derived, exclude=exclude)
        if clashes:
            raise Conflict({self._input_name(key): [str(message) for error in errors for message in error]
                            for key, errors in clashes.items()})
        return attrs

    def _model_field(self, name: str) -> str:
        return str(getattr(self.fields[name], "source", name) or name)  # type: ignore[attr-defined]

    def _input_name(self, model_field: str) -> str:
        """The serializer field written to ``model_field`` (``non_field_errors`` for the whole record)."""
        if model_field == NON_FIELD_ERRORS:
            return "non_field_errors"
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if getattr(field, "source", name) == model_field and not field.read_only:
                return str(name)
        return model_field


class TrackedModelViewSet(viewsets.ModelViewSet):
    """CRUD over one ``TrackedModel`` with ETags, atomic If-Match checks and history attribution."""

    permission_classes = [RolePermissions]
    pagination_class = StandardPagination
    parser_classes = [JSONParser]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # simple_history's middleware stored the Django request before DRF authenticated a token user;
        # DRF copies the user onto it, but set it explicitly so history names the token's owner.
        HistoricalRecords.context.request = request._request  # type: ignore[attr-defined]
        request._request.user = request.user

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        instance = getattr(self, "_etag_instance", None)
        if instance is not None and response.status_code < 300 and request.method != "DELETE":
            response["ETag"] = etag_for(instance)
        return response

    def _check_if_match(self, instance: models.Model) -> None:
        wanted = self.request.headers.get("If-Match")
        if not wanted or wanted.strip() == "*":
            return
        current = etag_for(instance)
        candidates = {t.strip() for t in wanted.split(",")}
        if current not in candidates and current.removeprefix("W/") not in candidates:
            raise PreconditionFailed(
                f"The record changed since you read it: its ETag is now {current}. "
                "Fetch it again and reapply your change."
            )

    def _locked_object(self) -> models.Model:
        """The object under a row lock (PostgreSQL) so the version check and the save are atomic."""
        queryset = self.filter_queryset(self.get_queryset())
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        pk = queryset.filter(**lookup).values_list("pk", flat=True).first()
        if pk is None:
            raise Http404
        model = self.get_queryset().model
        list(model.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True))
        return self.get_object()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        self._etag_instance = instance
        return Response(self.get_serializer(instance).data)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        with transaction.atomic():
            self._etag_instance = serializer.save()

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self._locked_object()
            self._check_if_match(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            # A PATCH that changes nothing writes nothing: no new version, no history row.
            if serializer.validated_data:
                self._etag_instance = serializer.save()
        fresh = self.get_object()
        self._etag_instance = fresh
        return Response(self.get_serializer(fresh).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            instance = self._locked_object()
            self._check_if_match(instance)
            instance._history_user = request.user  # type: ignore[attr-defined]
            instance.delete()
        return Response(status=204)


__all__ = [
    "CodeCursorPagination", "IdCursorPagination", "ModelCleanMixin", "RolePermissions", "StandardPagination",
    "TrackedModelViewSet", "crud_schema", "etag_for",
]
