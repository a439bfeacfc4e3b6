"""A real `celery worker` subprocess for the ``worker`` tests (PostgreSQL + Redis), and polling with a deadline.

The worker runs on the test database and this run's queue (``CELERY_QUEUE``), in its own process
group so a test can kill it the way an OOM killer or a lost host would: the whole group, SIGKILL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from adctrack.celery_app import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / ".pytest-worker.log"
TIMEOUT = 60.0


def wait_for(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)  # the pause between two polls, not a wait standing in for the condition
    pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}")


def database_url() -> str:
    """The test database as a DATABASE_URL for the worker (another process: it needs PostgreSQL)."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.fail("The worker tests need DATABASE_URL pointing at PostgreSQL (the worker is another process).")
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def node_name(label: str) -> str:
    return f"{label}-{os.getpid()}@{socket.gethostname()}"


@contextmanager
def celery_worker(name: str, **extra_env: str) -> Iterator[subprocess.Popen[bytes]]:
    """Start a worker called ``name``; yield its process once it answers a ping; stop it afterwards.

    ``extra_env`` overrides settings for this worker only (e.g. ``CELERY_VISIBILITY_TIMEOUT``).
    When REDIS_URL is set and the worker cannot start, this FAILS rather than skips.
    """
    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL is not set: run the worker tests only against Redis (or deselect -m 'not worker').")
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    env = {**os.environ, "DATABASE_URL": database_url(), "CELERY_QUEUE": queue, "DATABASE_CONN_MAX_AGE": "0",
           **extra_env}
    log = open(LOG, "a")  # noqa: SIM115 - closed below; appended so a restarted worker keeps the first one's lines
    log.write(f"\n===== {name} =====\n")
    log.flush()
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "adctrack", "worker", "--pool", "solo", "-Q", queue, "-n", name,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        def ready() -> bool:
            if proc.poll() is not None:
                pytest.fail(f"The Celery worker exited with {proc.returncode}: {LOG.read_text()[-2000:]}")
            return bool(celery_app.control.ping(destination=[name], timeout=0.5))

        wait_for(ready, f"the Celery worker {name} to answer a ping")
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                kill_group(proc)
        log.close()


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker's whole process group (no warm shutdown, nothing re-queued by the worker) and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # already gone
    proc.wait(timeout=TIMEOUT)


def fresh_start() -> None:
    """Empty this run's queue (nothing left over from an earlier test) and start a new worker log."""
    celery_app.control.purge()
    LOG.write_text("")
