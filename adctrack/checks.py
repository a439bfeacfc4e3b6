"""Project system checks: settings combinations that start fine but misbehave later."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


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
