"""gunicorn settings, read from the environment (see docs/deploy.md, "Scale out").

WEB_CONCURRENCY   worker processes (default 2 x CPUs + 1, at most 8)
GUNICORN_TIMEOUT  seconds before a stuck worker is killed and replaced (default 60; exports are the slowest)
PORT              listen port (default 8000)
Static files are served by whitenoise inside Django; the access log line ends with the request id
that RequestIdMiddleware puts on the response, so it joins up with the application's JSON logs.
gunicorn refuses to start when the static files were not collected (``on_starting``): with DEBUG off
every page would answer 500.
"""

from __future__ import annotations

import multiprocessing
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
if workers > 1 and not os.environ.get("REDIS_URL"):
    # Without Redis each process has its own cache: one worker's edit would not move the data
    # version the others' page caches are keyed on, and they would serve pages from before it.
    raise SystemExit("gunicorn.conf.py: several workers share state through Redis; set REDIS_URL "
                     "or WEB_CONCURRENCY=1.")
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then: bounds any slow leak
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s" request_id=%({x-request-id}o)s'


def post_worker_init(worker: object) -> None:
    """Move everything loaded at start-up (Django, the URL conf, templates) out of the garbage
    collector's reach: its full collections then walk only what requests allocate. At 100 assets a
    page, the API list spent about a quarter of its time in collections over start-up objects."""
    import gc

    gc.freeze()


def on_starting(server: object) -> None:
    """Refuse to start without ``collectstatic``'s manifest (adctrack.E002): every page would be a 500."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adctrack.settings")
    django.setup()
    from adctrack.checks import static_manifest_check

    errors = static_manifest_check()
    if errors:
        raise SystemExit(f"gunicorn.conf.py: {errors[0].msg} {errors[0].hint}")
