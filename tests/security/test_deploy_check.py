"""`check --deploy` passes with the production environment documented in docs/deploy.md."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50), DEBUG="0", ALLOWED_HOSTS="adctrack.example.org",
        CSRF_TRUSTED_ORIGINS="https://adctrack.example.org", SECURE_SSL_REDIRECT="1",
        DJANGO_SETTINGS_MODULE="adctrack.settings",
    )
    env.pop("SECURE_HSTS_SECONDS", None)
    return env


def test_it_passes_the_deploy_check_at_warning_level() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deploy_check_when_hsts_is_switched_off() -> None:
    env = _production_env() | {"SECURE_HSTS_SECONDS": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
