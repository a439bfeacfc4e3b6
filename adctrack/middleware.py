"""Request id and request log middleware (see adctrack/request_id.py and docs/deploy.md)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

from adctrack import request_id

request_log = logging.getLogger("adctrack.request")
security_log = logging.getLogger("adctrack.security")


class RequestIdMiddleware:
    """Reads X-Request-ID (or makes one), echoes it on the response and logs one JSON line per request.

    Also logs every 401/403 answer to ``adctrack.security``: one place that sees permission
    denials from pages, the API, CSRF failures and views added later alike.
    Put it first in MIDDLEWARE so the id covers everything below it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = request_id.clean(request.headers.get("X-Request-ID"))
        token = request_id.current.set(rid)
        request.request_id = rid  # type: ignore[attr-defined]
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            user_name = user.get_username() if user is not None and user.is_authenticated else None
            if response.status_code in (401, 403):
                security_log.warning(
                    "permission denied",
                    extra={"event": "permission_denied", "status": response.status_code, "path": request.path,
                           "method": request.method, "user": user_name},
                )
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1), "user": user_name},
            )
            return response
        finally:
            request_id.current.reset(token)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login-required default, except under /api/ where DRF authenticates (401/403, no redirect).

    Every page added later is covered automatically; public views opt out with ``@login_not_required``.
    """

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
