"""Project system checks: settings combinations that start fine but misbehave later (or at once:
uncollected static files with DEBUG off, tagged for deployment)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
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


@register(Tags.staticfiles, deploy=True)
def static_manifest_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """With DEBUG off, the hashed-name storage needs ``collectstatic``'s manifest, else every page is a 500.

    Tagged for deployment (``check --deploy``, and gunicorn.conf.py runs it before starting): a fresh
    clone's ``manage.py check`` and the test suite run without collected static files, on purpose.
    """
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    hint = ("Run `python manage.py collectstatic --noinput` (the documented production start does) with the "
            "same STATIC_ROOT, or start with DEBUG=1 for development.")
    try:
        content = staticfiles_storage.read_manifest()
        if content is None:
            problem = f"no {staticfiles_storage.manifest_name} in STATIC_ROOT ({settings.STATIC_ROOT})"
        else:
            staticfiles_storage.load_manifest()
            return []
    except (OSError, ValueError) as exc:
        problem = f"the manifest in STATIC_ROOT ({settings.STATIC_ROOT}) cannot be read: {exc}"
    return [Error(f"Static files were not collected: {problem}; with DEBUG off every page would answer 500.",
                  hint=hint, id="adctrack.E002")]
