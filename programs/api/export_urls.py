"""Export routes of the API; the API's urls include this under /api/v1/ (before the routers)."""

from __future__ import annotations

from django.urls import path

from programs.api.exports import AssetExportAPIView, DealExportAPIView

urlpatterns = [
    path("deals/export/", DealExportAPIView.as_view(), name="deal_export"),
    path("assets/export/", AssetExportAPIView.as_view(), name="asset_export"),
]
