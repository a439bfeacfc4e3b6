"""Fixtures of the statistics tests: demo data with every statistics group computed."""

from __future__ import annotations

import pytest

from programs.derivation.stats.compute import recompute_all


@pytest.fixture
def demo_stats(demo_data: None) -> None:
    """The demo data set with every statistics group computed (as the nightly job leaves it)."""
    recompute_all()

