"""Project system checks: settings combinations that start fine but misbehave later."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import connection


@register()
def visibility_timeout_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when Redis would hand a task that is still running (or waiting to retry) to a second worker."""
    from programs.tasks import RETRY  # here, not at import: the check module loads while apps get ready

    if not settings.REDIS_URL:
        return []  # eager tasks: no broker, no redelivery
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    longest = max(settings.CELERY_TASK_TIME_LIMIT, RETRY["retry_backoff_max"])
    if timeout > longest:
        return []
    return [Warning(
        f"CELERY_VISIBILITY_TIMEOUT ({timeout} s) does not exceed the longest a task can stay unacknowledged "
        f"({longest} s): a running task would be delivered to a second worker.",
        hint="Raise CELERY_VISIBILITY_TIMEOUT above CELERY_TASK_TIME_LIMIT and 600 s (default 3600).",
        id="adctrack.W001",
    )]


SQLITE_MINIMUM = (3, 35, 0)


@register(deploy=False)
def sqlite_version_check(app_configs: Any = None, version: tuple[int, ...] | None = None,
                         **kwargs: Any) -> list[CheckMessage]:
    """The embedded default needs SQLite 3.35+: the statistics writes use ``UPDATE … RETURNING``."""
    if connection.vendor != "sqlite":
        return []
    import sqlite3

    found = version or sqlite3.sqlite_version_info
    if tuple(found) >= SQLITE_MINIMUM:
        return []
    return [Error(
        f"SQLite {'.'.join(map(str, found))} is too old: adctrack needs {'.'.join(map(str, SQLITE_MINIMUM))} "
        "or newer (UPDATE ... RETURNING in the statistics writes).",
        hint="Use a Python built against a newer SQLite, or set DATABASE_URL to PostgreSQL.",
        id="adctrack.E001",
    )]
