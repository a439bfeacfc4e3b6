"""One JSON error shape for every API failure, and the exceptions the API raises itself.

Every error is ``{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}``.
Django and database errors that escape a view (model ``ValidationError``, ``IntegrityError``,
``ProtectedError``, ``ValueError`` from a NUL byte in a query, ...) are mapped to 4xx here, so no
input yields a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """409: the write clashes with a record that exists (a duplicate event, a protected reference)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with existing data."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    """412: the ``If-Match`` ETag is stale; someone changed the record since the client read it."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record changed since you read it; fetch it again and reapply your change."
    default_code = "precondition_failed"


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="HTTP status code, repeated in the body.")
    code = serializers.CharField(
        help_text="Machine-readable code: invalid, parse_error, not_authenticated, permission_denied, "
        "not_found, method_not_allowed, conflict, precondition_failed, throttled, ..."
    )
    message = serializers.CharField(help_text="Human-readable summary.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name -> list of messages, for validation errors.",
    )


class ErrorSerializer(serializers.Serializer):
    """The shared error envelope documented on every operation."""

    error = ErrorBodySerializer()


def _translate(exc: Exception) -> Exception:
    """Map Django/database exceptions to DRF ones so the default handler renders them."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(serializers.as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        names = ", ".join(sorted({str(o) for o in list(exc.args[1])[:5]})) if len(exc.args) > 1 else ""
        return Conflict(f"Other records still refer to this one ({names}); change or delete them first.")
    if isinstance(exc, IntegrityError):
        return Conflict(f"The change clashes with existing data: {exc}".strip())
    if isinstance(exc, DataError | ValueError | OverflowError):
        logger.info("API bad input: %r", exc)
        return exceptions.ValidationError({"non_field_errors": [f"Malformed input: {exc}"]})
    return exc


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested DRF error details to ``{"parties.0.company": ["..."]}``: one flat map of field paths."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and any(isinstance(d, dict | list) for d in detail):
        for i, value in enumerate(detail):
            out.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(d) for d in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: render every error in the shared shape (see module docstring)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    else:
        exc = _translate(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    detail = exc.detail
    body: dict[str, Any] = {"status": response.status_code}
    if isinstance(detail, dict | list):
        codes = exc.get_codes()
        body["code"] = "invalid"
        fields = _flatten(detail if isinstance(detail, dict) else {"non_field_errors": detail})
        fields = {k: v for k, v in fields.items() if v}
        general = fields.pop("non_field_errors", None) or fields.pop("__all__", None)
        conflict = isinstance(codes, dict) and "conflict" in str(codes)
        # A conflict's message names the records it clashes with (scripts often log only the message).
        fallback = " ".join(m for ms in fields.values() for m in ms) if conflict else "Invalid input."
        message = " ".join(general) if isinstance(general, list) and general else fallback
        if conflict:
            body["code"] = "conflict"
        body["message"] = message
        body["fields"] = fields
    else:
        body["code"] = str(getattr(detail, "code", exc.default_code))
        body["message"] = str(detail)
    response.data = {"error": body}
    return response
