"""Shared fixtures: personas (viewer, bd, editor, admin, outsider) and the demo data set."""

from __future__ import annotations

import importlib
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def ensure_reference_targets() -> None:
    """Put back the reference targets migration 0002 ships, if a transactional test flushed them."""
    from programs.models import Target

    if not Target.objects.exists():
        # Run the migration's own function on the historical models, exactly as `migrate` did.
        state = MigrationLoader(connection).project_state(("programs", "0002_reference_targets"))
        importlib.import_module("programs.migrations.0002_reference_targets").load(state.apps, None)


def seed_demo() -> None:
    """`seed_demo` on top of the reference targets (transactional tests may have flushed them)."""
    ensure_reference_targets()
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def demo_data(db: None) -> None:
    """The demo data set of shared/seeds, as `seed_demo` loads it."""
    seed_demo()


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request: pytest.FixtureRequest) -> object:
    """Tasks run in-process in every test but the ``worker`` ones, even when REDIS_URL is set.

    Without this, a PostgreSQL + Redis run would send the tasks of ordinary tests to a broker no
    worker listens on, and their effects would never appear.
    """
    from adctrack.celery_app import app

    if request.node.get_closest_marker("worker"):
        yield None
        return
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield None
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:  # type: ignore[no-untyped-def]
    """Tests run with DEBUG off but without `collectstatic`: serve static names unhashed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Fast hashing: tests log users in by the hundred; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without REDIS_URL there is no broker for a real worker: deselect (not skip) the ``worker`` tests.

    With REDIS_URL set they run, and fail if the worker cannot start. The hook lives at the root so it
    covers every folder with worker tests (tests/stats, tests/faults), whichever is run alone.
    """
    if os.environ.get("REDIS_URL"):
        return
    worker = [item for item in items if item.get_closest_marker("worker")]
    if worker:
        config.hook.pytest_deselected(items=worker)
        items[:] = [item for item in items if not item.get_closest_marker("worker")]
