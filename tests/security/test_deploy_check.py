"""`check --deploy` passes with the production environment documented in docs/deploy.md, and the
production start (check --deploy, gunicorn) refuses to run without collected static files."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.staticfiles import collected

ROOT = Path(__file__).resolve().parents[2]


def _production_env(static_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50), DEBUG="0", ALLOWED_HOSTS="adctrack.example.org",
        CSRF_TRUSTED_ORIGINS="https://adctrack.example.org", SECURE_SSL_REDIRECT="1",
        DJANGO_SETTINGS_MODULE="adctrack.settings", STATIC_ROOT=str(static_root), WEB_CONCURRENCY="1",
    )
    env.pop("SECURE_HSTS_SECONDS", None)
    return env


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def test_it_passes_the_deploy_check_at_warning_level(tmp_path: Path) -> None:
    result = _deploy_check(_production_env(collected(tmp_path / "static")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deploy_check_without_collected_static_files(tmp_path: Path) -> None:
    result = _deploy_check(_production_env(tmp_path / "never-collected"))
    assert result.returncode != 0
    assert "adctrack.E002" in result.stdout + result.stderr and "collectstatic" in result.stdout + result.stderr


def test_gunicorn_refuses_to_start_without_collected_static_files(tmp_path: Path) -> None:
    start = "import runpy; runpy.run_path('gunicorn.conf.py')['on_starting'](None)"  # gunicorn's start hook
    refused = subprocess.run([sys.executable, "-c", start], cwd=ROOT, env=_production_env(tmp_path / "none"),
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "collectstatic" in refused.stderr
    started = subprocess.run([sys.executable, "-c", start], cwd=ROOT,
                             env=_production_env(collected(tmp_path / "static")), capture_output=True, text=True,
                             timeout=300)
    assert started.returncode == 0, started.stderr


def test_it_fails_the_deploy_check_when_hsts_is_switched_off(tmp_path: Path) -> None:
    env = _production_env(collected(tmp_path / "static")) | {"SECURE_HSTS_SECONDS": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
