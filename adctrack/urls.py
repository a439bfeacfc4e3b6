"""Top-level URLs. Each app owns its own ``urls.py``; the API lives under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from adctrack.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("programs.urls")),
    path("", include("milestones.urls")),
]
