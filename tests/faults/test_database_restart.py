"""PostgreSQL drops every connection (a restart, a failover, ``pg_terminate_backend``): the requests then in
flight get a clear 503 (page or API error, no traceback), and the next ones succeed without restarting
gunicorn (``CONN_HEALTH_CHECKS`` finds the dead connection and opens a new one).

The in-process tests use Django's test client, which (like a request already running when the
server went away) does not re-check its connection between requests; the last test runs gunicorn.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import cast

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from knox.models import AuthToken

from programs.models import Asset
from programs.roles import VIEWER, ensure_roles
from tests.factories import AssetFactory
from tests.staticfiles import collected
from tests.workers import ROOT, database_url, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")),
                       reason="pg_terminate_backend needs PostgreSQL (DATABASE_URL=postgres://...)"),
]


def _terminate(pid: int | None = None, *, keep: int = 0) -> int:
    """Kill the backend ``pid`` (default: every connection to the test database but ``keep``) from a fresh one."""
    db = settings.DATABASES["default"]
    admin = psycopg2.connect(dbname=db["NAME"], user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None,
                             host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            if pid is None:
                cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)", [keep])
            else:
                cursor.execute("SELECT count(pg_terminate_backend(%s))", [pid])
            return int(cursor.fetchone()[0])
    finally:
        admin.close()


def _own_backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _asset() -> Asset:
    return cast(Asset, AssetFactory())


def _viewer() -> tuple[Client, str]:
    user = get_user_model().objects.create_user("db-viewer", password="db-viewer-pass-1234")
    user.groups.add(ensure_roles()[VIEWER])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    _, token = AuthToken.objects.create(user=user, expiry=None)
    return client, token


def test_a_page_in_flight_answers_a_clear_503_and_the_next_request_succeeds() -> None:
    asset = _asset()
    client, _ = _viewer()
    assert client.get(asset.get_absolute_url()).status_code == 200
    assert _terminate(_own_backend()) == 1
    response = client.get(asset.get_absolute_url())
    assert response.status_code == 503
    html = response.content.decode()
    assert "Temporarily unavailable" in html and "Traceback" not in html
    assert response["Retry-After"] == "5" and response["Content-Type"].startswith("text/html")
    assert client.get(asset.get_absolute_url()).status_code == 200  # a new connection, same process


def test_an_api_call_in_flight_answers_the_api_error_shape() -> None:
    asset = _asset()
    _, token = _viewer()
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/v1/assets/{asset.pk}/").status_code == 200
    assert _terminate(_own_backend()) == 1
    response = api.get(f"/api/v1/assets/{asset.pk}/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"
    assert api.get(f"/api/v1/assets/{asset.pk}/").json()["id"] == asset.pk


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0  # not listening yet


def test_gunicorn_serves_on_after_every_database_connection_was_killed(tmp_path: Path) -> None:
    asset = _asset()
    _, token = _viewer()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DATABASE_CONN_MAX_AGE": "600", "WEB_CONCURRENCY": "1",
           "DEBUG": "0", "SECRET_KEY": "test-only-secret-key-not-for-production", "SECURE_SSL_REDIRECT": "0",
           "ALLOWED_HOSTS": "127.0.0.1",
           "STATIC_ROOT": str(collected(tmp_path / "static"))}
    log = (tmp_path / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "adctrack.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _get(f"{base}/healthz", token) == 200, "gunicorn to answer /healthz")
        url = f"{base}/api/v1/assets/{asset.pk}/"
        assert _get(url, token) == 200  # the worker now holds a persistent connection (CONN_MAX_AGE)
        assert _terminate(keep=_own_backend()) >= 1  # gunicorn's (the test's own stays: it has to tear down)
        assert [_get(url, token) for _ in range(3)] == [200, 200, 200]  # health check: reconnected at once
        assert _get(f"{base}/healthz", token) == 200 and server.poll() is None  # the same gunicorn, never restarted
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text(errors="replace")
