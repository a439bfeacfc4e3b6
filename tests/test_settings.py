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


@pytest.mark.parametrize(("name", "value"), [
    ("CTGOV_BASE_URL", "ftp://clinicaltrials.gov"), ("CTGOV_BASE_URL", "clinicaltrials.gov"),
    ("CTGOV_BASE_URL", "https://clinicaltrials.gov:port"), ("CTGOV_BASE_URL", "https://h/?format=json"),
    ("CTGOV_RATE_PER_SECOND", "0"), ("CTGOV_RATE_PER_SECOND", "fast"), ("CTGOV_TIMEOUT", "-1"),
    ("CTGOV_MAX_RETRIES", "11"),
])
def test_it_refuses_a_malformed_clinicaltrials_setting(name: str, value: str) -> None:
    result = _load(DEBUG="1", **{name: value})
    assert result.returncode != 0
    assert f"Environment variable {name} is malformed" in result.stderr


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


def test_it_warns_when_the_visibility_timeout_would_redeliver_running_tasks(settings) -> None:  # type: ignore[no-untyped-def]
    from adctrack.checks import visibility_timeout_check

    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_TASK_TIME_LIMIT = 1800
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    assert visibility_timeout_check() == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 1800}
    assert [m.id for m in visibility_timeout_check()] == ["adctrack.W001"]
    settings.REDIS_URL = None  # eager tasks: nothing is ever redelivered
    assert visibility_timeout_check() == []


@pytest.mark.django_db
def test_it_refuses_an_sqlite_too_old_for_the_statistics_writes() -> None:
    from django.db import connection

    from adctrack.checks import sqlite_version_check

    if connection.vendor == "sqlite":
        assert sqlite_version_check(version=(3, 34, 1))[0].id == "adctrack.E001"
        assert sqlite_version_check(version=(3, 35, 0)) == []
        assert sqlite_version_check() == []  # this machine's SQLite
    else:  # PostgreSQL: the check has nothing to say, whatever SQLite the Python has
        assert sqlite_version_check(version=(3, 34, 1)) == []


def test_it_reads_the_visibility_timeout_from_the_environment() -> None:
    code = "import adctrack.settings as s; print(s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])"
    base = {k: v for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "CELERY_VISIBILITY_TIMEOUT"}}
    for value, expected in [(None, "3600"), ("7200", "7200")]:
        env = {**base, "DEBUG": "1"} | ({"CELERY_VISIBILITY_TIMEOUT": value} if value else {})
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=60)
        assert result.stdout.split() == [expected], result.stderr
    assert "CELERY_VISIBILITY_TIMEOUT" in _load(DEBUG="1", CELERY_VISIBILITY_TIMEOUT="an hour").stderr
