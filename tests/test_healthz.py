"""/healthz: 200 JSON when database and broker answer, 503 naming what failed otherwise."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_it_answers_ok_to_anonymous_callers(django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(1):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_names_the_broker_when_it_is_unreachable(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker"]


def test_it_names_the_database_when_it_fails() -> None:
    with mock.patch("adctrack.health._database", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert "database" in response.json()["failed"]


def test_it_refuses_writes_with_405() -> None:
    assert Client().post("/healthz").status_code == 405
