"""/healthz: is this process able to serve? Checks the database and, when configured, the broker and the cache.

Answers 200 ``{"status": "ok", "checks": {...}}`` or 503 naming what failed. Public (load
balancers and Docker call it unauthenticated), cheap (one SELECT 1, one PING with a 1 s timeout to
the broker, one through the cache's own client and timeouts) and exempt from the HTTPS redirect
(see SECURE_REDIRECT_EXEMPT). With only ``broker`` and ``cache`` failed the process still reads and
saves (uncached, derived work waiting for Redis); ``database`` failed means it cannot serve. The
cache PING also updates the cache's breaker (``adctrack.cache``), so a health check that finds Redis
back resumes caching in this process at once.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from adctrack.cache import ResilientRedisCache

log = logging.getLogger("adctrack.health")
BROKER_TIMEOUT = 1.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker(url: str) -> None:
    client = redis.Redis.from_url(url, socket_connect_timeout=BROKER_TIMEOUT, socket_timeout=BROKER_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    try:
        _database()
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not healthy", never a 500
        log.error("health check: database failed: %s", exc)
        checks["database"] = "failed"
    if settings.REDIS_URL:
        try:
            _broker(settings.REDIS_URL)
            checks["broker"] = "ok"
        except Exception as exc:
            log.error("health check: broker failed: %s", exc)
            checks["broker"] = "failed"
    cache = caches["default"]
    if isinstance(cache, ResilientRedisCache):
        # No log line here: the cache logs Redis going away and coming back itself, once each.
        checks["cache"] = "ok" if cache.check() else "failed"
    failed = sorted(name for name, state in checks.items() if state != "ok")
    body = {"status": "ok" if not failed else "failed", "checks": checks, "failed": failed}
    return JsonResponse(body, status=200 if not failed else 503)
