"""A throw-away ``redis-server`` a test starts, kills, pauses and restarts itself, and the settings to use it.

The Redis outage tests need a Redis they may break without breaking anybody else's (the shared one on
6379 serves other test runs): each gets its own server on a free port, without persistence (as CI's),
stopped by its PID. ``redis-server`` is installed wherever the suite runs (dev machine, CI): a missing
binary fails the test rather than skipping it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis

from adctrack.celery_app import app as celery_app
from tests.workers import wait_for

#: Short enough that an outage costs a test little, long enough for a loaded 2-core machine.
CACHE_TIMEOUT = 0.25
RETRY_SECONDS = 1.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One ``redis-server`` process on a fixed port, which survives being killed and started again."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (apt-get install redis-server): the Redis outage tests need it")
        self.binary = binary
        self.workdir = workdir
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _ping(self) -> bool:
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.exceptions.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        log = open(self.workdir / "redis.log", "ab")  # noqa: SIM115 - handed to the child, closed below
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        wait_for(self._ping, f"redis-server on port {self.port} to answer", timeout=20)

    def kill(self) -> None:
        """SIGKILL, as a crash or an OOM kill would: nothing written, every client's connection dropped."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=20)
        self.proc = None

    def pause(self) -> None:
        """SIGSTOP: connections stay open and nothing answers (a network partition, a stalled host)."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGCONT)
        wait_for(self._ping, f"redis-server on port {self.port} to answer again", timeout=20)

    def stop(self) -> None:
        if self.proc is None:
            return
        os.kill(self.proc.pid, signal.SIGCONT)  # a paused server ignores SIGTERM until it runs again
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)
        self.proc = None


def cache_settings(url: str) -> dict[str, Any]:
    return {"default": {
        "BACKEND": "adctrack.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT, "socket_timeout": CACHE_TIMEOUT,
                    "retry_seconds": RETRY_SECONDS},
    }}


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker_at(url: str) -> Iterator[None]:
    """Publish this process's tasks to ``url`` (not eagerly): a failed publish fails at once, no retry loop."""
    keys = ("broker_url", "task_always_eager", "broker_connection_timeout", "broker_transport_options",
            "task_publish_retry")
    saved = {k: celery_app.conf[k] for k in keys}
    celery_app.conf.update(broker_url=url, task_always_eager=False, broker_connection_timeout=1,
                           broker_transport_options={"max_retries": 0}, task_publish_retry=False)
    _forget_pools()
    try:
        yield
    finally:
        celery_app.pool.force_close_all()  # this server's pool only
        celery_app.conf.update(saved)
        _forget_pools()


def _forget_pools() -> None:
    """Make the app look its connection and producer pools up again, for the current broker URL
    (kombu keys them by URL: closing the shared server's pool would break later tests)."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
