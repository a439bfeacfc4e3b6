"""Top-level URLs. Each app owns its own ``urls.py``; the API lives under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from adctrack.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("adctrack.api_urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its start-up script as a file (?script=): the CSP (script-src 'self') blocks
    # the inline one SpectacularSwaggerView renders, and the page was blank in a browser.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include("programs.urls")),
    path("", include("milestones.urls")),
]

# A database error escaping a middleware (session, user) gets the same 503 page as one in a view.
handler500 = "adctrack.middleware.server_error"
