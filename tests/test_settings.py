"""Settings come from the environment and refuse malformed values by name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    code = "import adctrack.settings as s; print(s.DATABASES['default']['ENGINE']); print(s.CELERY_TASK_ALWAYS_EAGER)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("url", ["mysql:/nope", "postgres://", "not a url", "postgres://h:port/db"])
def test_it_refuses_a_malformed_database_url(url: str) -> None:
    result = _load(DEBUG="1", DATABASE_URL=url)
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_it_refuses_a_malformed_redis_url() -> None:
    result = _load(DEBUG="1", REDIS_URL="http://localhost:6379")
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr


def test_it_refuses_a_malformed_boolean() -> None:
    result = _load(DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_it_requires_secret_key_without_debug() -> None:
    result = _load(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_defaults_to_sqlite_and_eager_tasks() -> None:
    result = _load(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_it_uses_postgres_and_the_broker_when_configured() -> None:
    result = _load(SECRET_KEY="x", DATABASE_URL="postgres://u@db:5432/adc", REDIS_URL="redis://r:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]
