"""The request id: one id per HTTP request, on every log record and carried into Celery tasks.

The id lives in a contextvar so it follows the request through threads of gunicorn's sync
workers and through ``asyncio`` alike. ``RequestIdMiddleware`` (adctrack/middleware.py) sets it;
``RequestIdFilter`` puts it on every log record; the two Celery signal receivers below copy it
into a task's message headers when the task is published and restore it while the task runs, so
a worker's log lines for a recompute name the edit that triggered it.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "adctrack_request_id"
"""Celery message header carrying the id (not ``id``: that one is the task's own)."""

_ID_OK = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
current: contextvars.ContextVar[str] = contextvars.ContextVar("adctrack_request_id", default="-")
_task_tokens: dict[str, contextvars.Token[str]] = {}


def clean(value: str | None) -> str:
    """An incoming X-Request-ID if it is sane (no spaces, quotes or newlines, <= 100 chars), else a new one."""
    if value and _ID_OK.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current.get()
        return True


@before_task_publish.connect
def _put_id_in_headers(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = current.get()
    if headers is not None and request_id != "-":
        headers.setdefault(HEADER, request_id)


@task_prerun.connect
def _restore_id(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    request_id = getattr(getattr(task, "request", None), HEADER, None)
    if request_id and task_id:
        _task_tokens[task_id] = current.set(str(request_id))


@task_postrun.connect
def _forget_id(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        current.reset(token)
