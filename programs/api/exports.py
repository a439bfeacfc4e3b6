"""API exports: ``/api/v1/deals/export/?format=csv`` and ``/api/v1/assets/export/?format=xlsx``.

The same responses as the pages (``programs.io.export.service.respond``), behind DRF authentication
(token or session). DRF's content negotiation is bypassed: ``format`` names the file type here, not a
renderer, and the view returns a Django response (streamed CSV or XLSX file) as is.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponseBase
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from programs.io.export.service import respond
from programs.models import ExportLog


class CanExport(BasePermission):
    message = "Exports need the bd, editor or admin role."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user and request.user.has_perm("programs.export_data"))


class _ExportAPIView(APIView):
    permission_classes = [IsAuthenticated, CanExport]
    renderer_classes = [JSONRenderer]  # only for error bodies (401/403)
    table = ""

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # ``format=csv|xlsx`` is the file type, not a DRF renderer: never 404 on it.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        summary="Export the filtered rows as CSV or XLSX",
        parameters=[
            OpenApiParameter("format", str, enum=["csv", "xlsx"], description="File format."),
            OpenApiParameter(
                "columns", str, many=True, explode=True,
                description="Columns to export, repeated or comma-separated, by their CSV header names; 'page' "
                            "for the list's columns, 'all' for every one. Default: every column in CSV (the "
                            "round-trip file), the list's columns in XLSX. An unknown name is refused (400).",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (202, "application/json"): OpenApiTypes.OBJECT,
            (400, "text/plain"): OpenApiTypes.STR, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        def status_url(log: ExportLog) -> str:
            return reverse("programs:export_status", args=[log.pk])

        return respond(request._request, self.table, request.query_params.get("format", "csv"), via="api",
                       status_url=status_url)


class DealExportAPIView(_ExportAPIView):
    """The filtered deal table as CSV or XLSX (DealFilterSet parameters, plus ``format``)."""

    table = "deals"


class AssetExportAPIView(_ExportAPIView):
    """The filtered asset table as CSV or XLSX (AssetFilterSet parameters, plus ``format``)."""

    table = "assets"
