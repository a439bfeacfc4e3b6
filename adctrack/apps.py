"""The project app: it exists so project-wide signal receivers and commands (backup, restore) load."""

from __future__ import annotations

from django.apps import AppConfig


class AdctrackConfig(AppConfig):
    name = "adctrack"
    verbose_name = "adctrack (project)"

    def ready(self) -> None:
        # Importing registers the receivers (security events, request-id propagation into Celery) and checks.
        from adctrack import checks, request_id, security  # noqa: F401
