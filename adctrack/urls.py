"""Top-level URLs. Each app owns its own ``urls.py``; the API lives under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    # Lead: fold into the API urls (namespace "api") at merge.
    path("api/v1/", include(("programs.api.export_urls", "api"), namespace="api")),
    path("", include("programs.urls")),
    path("", include("milestones.urls")),
]
