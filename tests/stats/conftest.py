"""Fixtures of the statistics tests: demo data with every statistics group computed."""

from __future__ import annotations

import pytest

from programs.stats.compute import recompute_all


@pytest.fixture
def demo_stats(demo_data: None) -> None:
    """The demo data set with every statistics group computed (as the nightly job leaves it)."""
    recompute_all()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without REDIS_URL there is no broker for a real worker: deselect (not skip) the ``worker`` tests.

    With REDIS_URL set they run, and fail if the worker cannot start.
    """
    import os

    if os.environ.get("REDIS_URL"):
        return
    worker = [item for item in items if item.get_closest_marker("worker")]
    if worker:
        config.hook.pytest_deselected(items=worker)
        items[:] = [item for item in items if not item.get_closest_marker("worker")]
