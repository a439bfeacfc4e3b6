from __future__ import annotations

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Companies, targets, payloads, assets, deals and sources."""

    name = "programs"
    verbose_name = "Programmes"

    def ready(self) -> None:
        # The entry points connect the layers below them: the task module registers its tasks by name
        # (``programs.jobs``), the facet counts listen for the data version, the derivation receivers
        # listen for edits. Nothing below imports these back.
        from programs import tasks  # noqa: F401  (registers the jobs)
        from programs.derivation import signals  # noqa: F401  (connects the receivers)
        from programs.readpath import data_version, facets, pagecache

        data_version.connect()
        pagecache.connect()
        facets.connect()
