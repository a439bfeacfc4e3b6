"""Shared fixtures: personas (viewer, bd, editor, admin, outsider) and the demo data set."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def demo_data(db: None) -> None:
    """The demo data set of shared/seeds, as `seed_demo` loads it."""
    call_command("seed_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests run with DEBUG off but without `collectstatic`: serve static names unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
