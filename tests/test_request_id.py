"""Request ids: echoed on the response, on every log record, carried into Celery tasks."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace

import pytest
from celery.signals import before_task_publish, task_postrun, task_prerun
from django.test import Client

from adctrack import request_id
from adctrack.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def test_it_echoes_a_sane_incoming_request_id() -> None:
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"


def test_it_replaces_a_malformed_request_id() -> None:
    response = Client().get("/healthz", HTTP_X_REQUEST_ID='evil"\nid')
    assert len(response["X-Request-ID"]) == 32 and "evil" not in response["X-Request-ID"]


def test_it_logs_one_json_line_per_request_with_the_id(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="adctrack.request")
    Client().get("/healthz", HTTP_X_REQUEST_ID="req-42")
    record = next(r for r in caplog.records if r.name == "adctrack.request")
    request_id.RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["status"] == 200 and line["path"] == "/healthz"


class _FakeTask:
    def __init__(self, request: SimpleNamespace) -> None:
        self.request = request


def test_it_carries_the_id_into_a_celery_task() -> None:
    token = request_id.current.set("req-7")
    try:
        headers: dict[str, str] = {}
        before_task_publish.send(sender="programs.tasks.recompute", headers=headers, body=())
    finally:
        request_id.current.reset(token)
    assert headers[request_id.HEADER] == "req-7"
    task = _FakeTask(SimpleNamespace(**headers))
    task_prerun.send(sender=task, task_id="t1", task=task)
    assert request_id.current.get() == "req-7"
    task_postrun.send(sender=task, task_id="t1", task=task)
    assert request_id.current.get() == "-"
