"""Editors keep saving while the broker (Redis) is unreachable: edits are kept, nothing is lost.

The broker is pointed at a closed local port and eager mode is off, so anything a save publishes
(statistics recompute, after merge) meets a refused connection. The save must still answer a
redirect and the row must hold the new value; the statistics sweeper re-queues the missed work.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from adctrack import celery_app
from programs.models import Company
from tests.faults.formdata import admin_post_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "broker_connection_timeout",
                                              "broker_transport_options", "task_publish_retry")}
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.update(broker_url=url, task_always_eager=False, broker_connection_timeout=0.5,
                           broker_transport_options={"max_retries": 0}, task_publish_retry=False)
    _forget_pools()
    try:
        yield url
    finally:
        celery_app.pool.force_close_all()  # the dead broker's pool only
        celery_app.conf.update(saved)
        _forget_pools()


def _forget_pools() -> None:
    """Make the app look up its connection and producer pools again, for the current broker URL.

    Pools live in kombu's registry keyed by broker URL: closing the real broker's pool here would
    leave later tests with "Acquire on closed pool", so only references are dropped.
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_it_keeps_an_edit_saved_while_the_broker_is_down(demo_data: None, broker_down: str) -> None:
    admin = get_user_model().objects.create_superuser("ops", "ops@example.org", None)
    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    company = Company.objects.order_by("pk").first()
    url = f"/admin/programs/company/{company.pk}/change/"
    data = admin_post_data(client.get(url))
    data["website"] = "https://saved-without-broker.example.org"
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    company.refresh_from_db()
    assert company.website == "https://saved-without-broker.example.org"
    assert company.history.count() >= 2  # the edit's history row was kept too


def test_it_reports_the_broker_down_on_healthz(db: None, broker_down: str) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["failed"] == ["broker"]
