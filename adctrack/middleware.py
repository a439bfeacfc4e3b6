"""Request id and request log middleware, login required, and a 503 page for a database that went away.

See adctrack/request_id.py and docs/deploy.md. ``DatabaseUnavailableMiddleware`` (with the
``handler500`` below, for errors raised outside views) turns a lost database connection into a 503
page or API error instead of a traceback; the next request connects afresh (``CONN_HEALTH_CHECKS``).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

from adctrack import request_id

request_log = logging.getLogger("adctrack.request")
security_log = logging.getLogger("adctrack.security")
db_log = logging.getLogger("adctrack.database")

#: What a database that is restarting, failing over or dropped the connection raises (psycopg2's
#: OperationalError, InterfaceError "connection already closed"; SQLite's "database is locked").
DATABASE_DOWN = (OperationalError, InterfaceError)
DATABASE_DOWN_MESSAGE = "The database is not answering right now (it may be restarting). Try again in a few seconds."
RETRY_AFTER_SECONDS = 5


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


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 for a database error: a standalone page (it asks the database nothing) or the API's error shape."""
    db_log.warning("database unavailable during %s %s: %s", request.method, request.path, str(exc).strip()[:300])
    # Drop a broken connection now rather than at request_finished, unless a transaction is still open
    # (a test's, or ATOMIC_REQUESTS), which is its owner's to end.
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": {"status": 503, "code": "database_unavailable", "message": DATABASE_DOWN_MESSAGE}}, status=503
        )
    else:
        body = render_to_string("503.html", {"message": DATABASE_DOWN_MESSAGE,
                                             "request_id": getattr(request, "request_id", "")})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view (page or API) that loses the database answers 503 with a clear page, not a 500 traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return database_unavailable(request, exception) if isinstance(exception, DATABASE_DOWN) else None


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """``handler500``: the 503 page when the error escaping a middleware (loading the session or the
    user, saving the session) was the database going away; Django's own 500 page otherwise."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable(request, exc)
    return defaults.server_error(request, template_name)
