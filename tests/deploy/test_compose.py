"""docker-compose.yml is runnable as written: real entry points, health checks, restarts, known variables."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APP_SERVICES = [name for name, svc in SERVICES.items() if svc.get("image", "").startswith("adctrack")]
LONG_RUNNING = [name for name, svc in SERVICES.items() if svc.get("restart") != "no"]
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "WEB_PORT"}  # read by docker compose itself, not by the application
READERS = ["adctrack/settings.py", "gunicorn.conf.py", "adctrack/healthcheck.py"]


def _names_read() -> set[str]:
    names: set[str] = set()
    for rel in READERS:
        text = (ROOT / rel).read_text()
        names |= set(re.findall(r"""_?env\(\s*["'](\w+)["']""", text))
        names |= set(re.findall(r"""os\.environ(?:\.get)?\s*[(\[]\s*["'](\w+)["']""", text))
    return names


def _env_example_keys() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0].strip() for line in lines if "=" in line and not line.lstrip().startswith("#")}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_it_starts_every_app_service_with_a_real_entry_point(name: str) -> None:
    command = SERVICES[name]["command"]
    program = command[0]
    if program == "gunicorn":
        module, _, attr = command[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attr))
        if "--config" in command:
            assert (ROOT / command[command.index("--config") + 1]).is_file()
    elif program == "celery":
        app_module = command[command.index("-A") + 1]
        from celery import Celery

        assert isinstance(importlib.import_module(app_module).celery_app, Celery)
        assert command[command.index("-A") + 2] in {"worker", "beat"}
    elif program == "python" and command[1] == "manage.py":
        assert command[2] in get_commands(), f"{name}: no management command {command[2]!r}"
    else:
        pytest.fail(f"{name}: unknown entry point {program!r}")


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_it_health_checks_and_restarts_every_long_running_service(name: str) -> None:
    service = SERVICES[name]
    assert service["healthcheck"]["test"], name
    assert service["restart"] in {"unless-stopped", "always", "on-failure"}


def test_it_pings_the_worker_through_celery_inspect() -> None:
    assert "celery -A adctrack inspect ping" in " ".join(SERVICES["worker"]["healthcheck"]["test"])


def test_it_runs_the_full_stack_with_redis_append_only() -> None:
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(SERVICES)
    command = SERVICES["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"


def test_it_keeps_data_in_named_volumes() -> None:
    declared = set(COMPOSE["volumes"])
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source in declared, f"{name}: {volume} is not a named volume"
    assert {"pgdata", "redisdata"} <= declared


def test_it_sets_only_variables_the_application_reads() -> None:
    read = _names_read()
    set_by_compose = {key for name in APP_SERVICES for key in SERVICES[name].get("environment", {})}
    unknown = (set_by_compose | _env_example_keys()) - read - COMPOSE_ONLY
    assert not unknown, f"set but never read by settings/gunicorn: {sorted(unknown)}"
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"} <= read
