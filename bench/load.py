"""Load test: 20 users for 2 minutes against gunicorn on PostgreSQL, on loopback. Self-stopping.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/adctrack_i8_load python bench/load.py

Seeds the database (migrate, seed_demo, demo users, then ``generate_data`` with BENCH_ASSETS assets
and BENCH_DEALS deals, with their milestones, parties and terms), collects static files to a
temporary directory, starts gunicorn (BENCH_PORT, default 8108), runs the locust users of
bench/locustfile.py (BENCH_USERS=20 split 2:1:1 into analysts, BD users exporting deal tables and
editors; BENCH_SECONDS=120) with a Celery worker and Redis (BENCH_REDIS_URL, default db 5) as
deployed, and prints p50/p95 per request type and as a ratio to /healthz (the
floor, measured in the same run). Exits 1 on any failed request.
"""

# ruff: noqa: I001  (locust must be imported first: it monkey-patches with gevent)
from __future__ import annotations

import locust  # noqa: F401  (first: gevent monkey-patching must precede other imports)

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import gevent
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from locustfile import USERS as USER_CLASSES  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8108"))
USERS = int(os.environ.get("BENCH_USERS", "20"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "120"))
ASSETS = int(os.environ.get("BENCH_ASSETS", "3000"))
DEALS = int(os.environ.get("BENCH_DEALS", "1000"))

# Seeded once per database. A re-run finds the generated assets and seeds nothing: seed_demo would
# refuse the demo payloads the previous run's editors changed (it never overwrites an edit).
SEED = f"""
from django.core.management import call_command
from programs.models import Asset
if Asset.objects.count() < {ASSETS}:
    call_command("seed_demo")
    call_command("create_demo_users")
    call_command("generate_data", assets={ASSETS}, deals={DEALS})
print(Asset.objects.count(), "assets")
"""


def _env(static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (e.g. .../adctrack_i8_load)")
    env.update(DEBUG="0", SECURE_SSL_REDIRECT="0", ALLOWED_HOSTS="127.0.0.1,localhost", STATIC_ROOT=static_root,
               SECRET_KEY=env.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40), LOG_LEVEL="WARNING",
               REQUEST_LOG_LEVEL="WARNING",  # one JSON line per request would drown the report
               WEB_CONCURRENCY=env.get("WEB_CONCURRENCY", "4"), PORT=str(PORT))
    # As deployed: Redis is the cache every worker shares (the page cache and its data version) and
    # the broker of a Celery worker started beside gunicorn.
    env.update(REDIS_URL=env.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"), CELERY_QUEUE="adctrack_load")
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    reuse_static = os.environ.get("BENCH_STATIC_ROOT")  # a previous run's collected files: skips collectstatic
    static_root = reuse_static or tempfile.mkdtemp(prefix="adctrack-static-")
    env = _env(static_root)
    if not os.environ.get("BENCH_SKIP_SEED"):  # set on a re-run against an already seeded database
        _manage(env, "migrate", "--noinput")
        _manage(env, "shell", "-c", SEED)
    if not reuse_static:
        _manage(env, "collectstatic", "--noinput")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "adctrack.wsgi:application", "--config",
                               "gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "/dev/null"],
                              cwd=ROOT, env=env)
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "adctrack", "worker", "-Q", "adctrack_load",
                               "--pool", "solo", "-l", "WARNING", "-n", f"load-{os.getpid()}@%h"],
                              cwd=ROOT, env=env)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)  # waiting for a server to start, not synchronising test steps
        else:
            raise SystemExit("gunicorn did not come up")
        environment = Environment(user_classes=USER_CLASSES, host=f"http://127.0.0.1:{PORT}")
        runner = environment.create_local_runner()
        runner.start(USERS, spawn_rate=5)
        gevent.spawn_later(SECONDS, runner.quit)
        # Users stop after SECONDS; a request still in flight ends within locustfile's network_timeout.
        if not runner.greenlet.join(timeout=SECONDS + 90):  # a gevent Group: True once every user stopped
            runner.greenlet.kill(block=False)
            print("the load run did not stop on time", file=sys.stderr)
            return 1
        return _report(environment)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.terminate()
        server.wait(timeout=30)


def _report(environment: Environment) -> int:
    stats = environment.stats
    floor = stats.get("healthz (floor)", "GET").get_response_time_percentile(0.5) or 1
    print(f"\n{USERS} users, {SECONDS} s, gunicorn on PostgreSQL; floor = /healthz p50 {floor:.0f} ms\n")
    print(f"{'request':34} {'n':>6} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p50/floor':>9} {'p95/floor':>9}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        p50, p95 = entry.get_response_time_percentile(0.5), entry.get_response_time_percentile(0.95)
        print(f"{entry.method + ' ' + entry.name:34} {entry.num_requests:6} {entry.num_failures:5} {p50:7.0f} "
              f"{p95:7.0f} {p50 / floor:9.1f} {p95 / floor:9.1f}")
    total = stats.total
    print(f"\ntotal {total.num_requests} requests, {total.num_failures} failures, "
          f"{total.total_rps:.1f} req/s")
    for error in stats.errors.values():
        print("ERROR", error.method, error.name, error.error, error.occurrences)
    return 1 if total.num_failures else 0


if __name__ == "__main__":
    sys.exit(main())
