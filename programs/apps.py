from __future__ import annotations

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Companies, targets, payloads, assets, deals and sources."""

    name = "programs"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from programs import data_version, pagecache

        data_version.connect()
        pagecache.connect()
        from programs import signals  # noqa: F401  (connects the receivers)
