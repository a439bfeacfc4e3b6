"""Reading needs an account unless ``ADCTRACK_PUBLIC_READ`` is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase

#: Paths that never redirect to the login page: the API answers with DRF's own 401/403, health checks
#: and static files are public, and the login page itself must be reachable.
OPEN_PREFIXES = ("/api/", "/healthz", "/accounts/login/", "/static/", "/admin/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class SiteLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's ``LoginRequiredMiddleware`` that honours ``ADCTRACK_PUBLIC_READ`` and the open paths.

    With public read on, anonymous GETs pass; edit views still refuse them through their permission
    checks (403), so public read never means public write.
    """

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(OPEN_PREFIXES):
            return None
        if getattr(settings, "ADCTRACK_PUBLIC_READ", False) and request.method in SAFE_METHODS:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
