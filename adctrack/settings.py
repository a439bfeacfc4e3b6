"""adctrack settings: one module, driven by the environment.

Every value comes from an environment variable (see the table in README.md). A malformed value
stops start-up with an ImproperlyConfigured error that names the variable, rather than running with
a silently wrong setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")


def _env(name: str, cast: Any, default: Any) -> Any:
    """Read one variable, turning any parse error into a message that names it."""
    try:
        return env(name, cast=cast, default=default)
    except (ValueError, TypeError, ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from exc


def _database(url: str | None) -> dict[str, Any]:
    """DATABASE_URL to a Django DATABASES entry; the default is a SQLite file tuned for two writers."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # WAL lets the web process read while a Celery worker writes; IMMEDIATE takes the write
            # lock at BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": BASE_DIR / "test-db.sqlite3"},
        }
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql", "pgsql", "sqlite"} or (
        parsed.scheme != "sqlite" and not parsed.path.strip("/")
    ):
        raise ImproperlyConfigured(
            "Environment variable DATABASE_URL is malformed: expected postgres://user@host:port/name "
            f"or sqlite:///path, got {url!r}"
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for bad URLs
        raise ImproperlyConfigured(f"Environment variable DATABASE_URL is malformed: {exc}") from exc
    if config["ENGINE"].endswith("postgresql"):
        config.setdefault("CONN_MAX_AGE", _env("DATABASE_CONN_MAX_AGE", int, 60))
        config["CONN_HEALTH_CHECKS"] = True
    return config


def _redis_url(url: str | None) -> str | None:
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme not in {"redis", "rediss"} or not parsed.hostname:
        raise ImproperlyConfigured(
            f"Environment variable REDIS_URL is malformed: expected redis://host:port/db, got {url!r}"
        )
    try:
        parsed.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable REDIS_URL is malformed: {exc}") from exc
    return url


def _http_url(name: str, url: str) -> str:
    """An http(s) base URL with a host and nothing after the path (no query, fragment or credentials)."""
    parsed = urlparse(url)
    try:
        parsed.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from exc
    if (
        parsed.scheme not in {"http", "https"}
        or not parsed.hostname
        or parsed.query
        or parsed.fragment
        or parsed.username
        or parsed.password
    ):
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed: expected https://host[:port][/path], got {url!r}"
        )
    return url.rstrip("/")


def _within(name: str, value: Any, least: float, most: float, *, open_low: bool = False) -> Any:
    """``value`` when it lies in [least, most] (``(least, most]`` with ``open_low``), else a message naming it."""
    if value < least or value > most or (open_low and value == least):
        low = "(" if open_low else "["
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed: expected a number in {low}{least}, {most}], got {value!r}"
        )
    return value


DEBUG: bool = _env("DEBUG", bool, False)
SECRET_KEY: str = _env("SECRET_KEY", str, "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Environment variable SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105

ALLOWED_HOSTS: list[str] = _env("ALLOWED_HOSTS", list, ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS: list[str] = _env("CSRF_TRUSTED_ORIGINS", list, [])
ADCTRACK_PUBLIC_READ: bool = _env("ADCTRACK_PUBLIC_READ", bool, False)
IMPORT_MAX_BYTES: int = _env("ADCTRACK_IMPORT_MAX_BYTES", int, 10 * 1024 * 1024)
# An XLSX export of more rows than this is built by a Celery task (status page + download link).
ADCTRACK_XLSX_SYNC_MAX_ROWS: int = _env("ADCTRACK_XLSX_SYNC_MAX_ROWS", int, 20000)
# After an edit, facet counts computed less than this many seconds earlier may still be shown (0: never).
ADCTRACK_FACET_FRESH_SECONDS: int = _env("ADCTRACK_FACET_FRESH_SECONDS", int, 60)
# ClinicalTrials.gov API v2 (``manage.py sync_ctgov``, the weekly sync task, the web form's fetch).
CTGOV_BASE_URL: str = _http_url("CTGOV_BASE_URL", _env("CTGOV_BASE_URL", str, "https://clinicaltrials.gov"))
# Requests a second at most: the registry asks API clients to stay well below its limits.
CTGOV_RATE_PER_SECOND: float = _within(
    "CTGOV_RATE_PER_SECOND", _env("CTGOV_RATE_PER_SECOND", float, 3.0), 0, 50, open_low=True
)
CTGOV_TIMEOUT: float = _within("CTGOV_TIMEOUT", _env("CTGOV_TIMEOUT", float, 20.0), 0, 300, open_low=True)
CTGOV_MAX_RETRIES: int = _within("CTGOV_MAX_RETRIES", _env("CTGOV_MAX_RETRIES", int, 4), 0, 10)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tables2",
    "django_htmx",
    "corsheaders",
    "django_countries",
    "django_celery_beat",
    "simple_history",
    "axes",
    "programs",
    "milestones",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "programs.middleware.SiteLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "adctrack.urls"
WSGI_APPLICATION = "adctrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The hot fragments of the asset list and asset page (adctrack/jinja2.py says why).
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "adctrack.jinja2.environment"},
    },
]

DATABASE_URL: str | None = _env("DATABASE_URL", str, None)
DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = _env("STATIC_ROOT", str, str(BASE_DIR / "staticfiles"))
MEDIA_ROOT = _env("MEDIA_ROOT", str, str(BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Celery -------------------------------------------------------------------------------------
REDIS_URL: str | None = _redis_url(_env("REDIS_URL", str, None))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process; `delay_on_commit` still defers them until the
# transaction commits, so the embedded default behaves like production, only synchronously.
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = _env("CELERY_TASK_TIME_LIMIT", int, 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = _env("CELERY_TASK_SOFT_TIME_LIMIT", int, 25 * 60)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis has no acknowledgements of its own: a task a worker took (acks_late) and never acknowledged,
# because the worker was killed, goes back to the queue once it has been out this many seconds. It
# must exceed the longest a task may run (CELERY_TASK_TIME_LIMIT) and the longest retry countdown
# (600 s), or a task still running would be delivered a second time; a system check warns otherwise.
CELERY_VISIBILITY_TIMEOUT: int = _env("CELERY_VISIBILITY_TIMEOUT", int, 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "max_retries": 2,
    # Workers look for overdue unacknowledged tasks every this many seconds (kombu's default, 10 s
    # times a throttle of 10, would let a lost task wait ~100 s past its timeout).
    "unacked_restore_interval": max(1, min(60, CELERY_VISIBILITY_TIMEOUT // 10)),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_DEFAULT_QUEUE = _env("CELERY_QUEUE", str, "adctrack")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# The cache is a speed-up, never a point of failure (adctrack/cache.py): a Redis that went away costs
# a request at most REDIS_CACHE_TIMEOUT seconds, then the process leaves it alone for
# REDIS_CACHE_RETRY_SECONDS and serves from the database, uncached.
REDIS_CACHE_TIMEOUT: float = _env("REDIS_CACHE_TIMEOUT", float, 0.25)
REDIS_CACHE_RETRY_SECONDS: float = _env("REDIS_CACHE_RETRY_SECONDS", float, 5.0)
for _name, _value in (("REDIS_CACHE_TIMEOUT", REDIS_CACHE_TIMEOUT), ("REDIS_CACHE_RETRY_SECONDS",
                                                                    REDIS_CACHE_RETRY_SECONDS)):
    if not 0 < _value <= 60:
        raise ImproperlyConfigured(f"Environment variable {_name} is malformed: expected seconds in (0, 60], "
                                   f"got {_value!r}")
CACHES: dict[str, Any] = (
    {"default": {
        "BACKEND": "adctrack.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": REDIS_CACHE_TIMEOUT, "socket_timeout": REDIS_CACHE_TIMEOUT,
                    "retry_seconds": REDIS_CACHE_RETRY_SECONDS},
    }}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# --- REST framework -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "programs.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "programs.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Per user (or per IP for anonymous); a script paging 100 000 assets at 500 a page needs 200 requests.
    "DEFAULT_THROTTLE_RATES": {
        "anon": _env("API_THROTTLE_ANON", str, "60/minute"),
        "user": _env("API_THROTTLE_USER", str, "10000/hour"),
    },
}
REST_KNOX = {
    "TOKEN_TTL": None,  # per token: the user picks an expiry (or none) when creating it
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "adctrack API",
    "DESCRIPTION": "Antibody-drug conjugate pipelines: assets, milestones, safety, efficacy, deals.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "PhaseEnum": "programs.vocab.Phase",
        "DatePrecisionEnum": "programs.vocab.DatePrecision",
        "AgencyEnum": "milestones.vocab.Agency",
        "AssetStatusEnum": "programs.vocab.AssetStatus",
        "DealStatusEnum": "programs.vocab.DealStatus",
        "MilestoneStatusEnum": "milestones.vocab.MilestoneStatus",
        "CompanyKindEnum": "programs.vocab.CompanyKind",
        "DealKindEnum": "programs.vocab.DealKind",
        "MilestoneKindEnum": "milestones.vocab.MilestoneKind",
        "DesignationKindEnum": "programs.vocab.DesignationKind",
        "DateTypeEnum": "milestones.vocab.DateType",  # the trial dates (actual / estimated) and enrollment
    },
}
CORS_ALLOWED_ORIGINS: list[str] = _env("CORS_ALLOWED_ORIGINS", list, [])

# --- Security -----------------------------------------------------------------------------------
AXES_FAILURE_LIMIT = _env("AXES_FAILURE_LIMIT", int, 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = _env("SECURE_SSL_REDIRECT", bool, True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _env("SECURE_HSTS_SECONDS", int, 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", str, "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# === Production hardening and observability (issue 8; see docs/deploy.md) ========================
# Kept in one block so it merges cleanly: it only appends to lists/dicts defined above.
INSTALLED_APPS += ["adctrack"]  # security-event receivers, request-id Celery signals, backup/restore

# RequestIdMiddleware first (its id and its request log cover everything below it); CSP right after
# SecurityMiddleware; login required everywhere except views marked @login_not_required and /api/
# (DRF answers 401/403 itself there).
MIDDLEWARE.insert(0, "adctrack.middleware.RequestIdMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
if not any(name.endswith("LoginRequiredMiddleware") for name in MIDDLEWARE):
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "adctrack.middleware.LoginRequiredMiddleware",
    )

from csp.constants import NONE, SELF  # noqa: E402 - kept inside this block on purpose

# No 'unsafe-inline' for scripts: every script is a static file (tests/security/test_csp.py checks
# the templates). Inline *styles* stay allowed: htmx and the admin set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check speaks plain HTTP on loopback
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = _env("SESSION_COOKIE_AGE", int, 12 * 3600)

LOG_FORMAT: str = _env("LOG_FORMAT", str, "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"Environment variable LOG_FORMAT is malformed: expected json or text: {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "adctrack.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "adctrack.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", str, "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "adctrack.security": {"level": "INFO"},
        "adctrack.request": {"level": _env("REQUEST_LOG_LEVEL", str, "INFO")},
    },
}
# === end of issue 8 block ========================================================================

# Issue 22: a database that goes away mid-request answers a 503 page, not a traceback (process_exception
# sees every view's error wherever the middleware sits; adctrack.urls' handler500 covers the middleware's).
MIDDLEWARE.insert(MIDDLEWARE.index("adctrack.middleware.RequestIdMiddleware") + 1,
                  "adctrack.middleware.DatabaseUnavailableMiddleware")

# === Issue 20: no 5xx from any input, lock-out, API rates, exact backups (docs/deploy.md, docs/api.md) ===
# Lock-out per (username, client address) together: one attacker's failures lock that username from
# that address only, not the user everywhere nor everyone behind the same proxy. The client address is
# the proxy's X-Forwarded-For only when the request comes from a TRUSTED_PROXIES address
# (adctrack/client_ip.py); a locked-out sign-in gets the same 429 whether or not the username exists.
from adctrack.client_ip import parse_networks  # noqa: E402 - kept inside this block on purpose

TRUSTED_PROXIES: list[str] = _env("TRUSTED_PROXIES", list, ["127.0.0.1", "::1"])
parse_networks(TRUSTED_PROXIES)  # a malformed entry stops start-up, naming the variable
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "adctrack.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "adctrack.security.lockout_response"

# API rates read at each request; a token may have its own (API_THROTTLE_TOKENS="<token_key>=<rate>,...").
API_THROTTLE_TOKENS: dict[str, str] = _env("API_THROTTLE_TOKENS", dict, {})
for _key, _rate in API_THROTTLE_TOKENS.items():
    _num, _, _period = str(_rate).partition("/")
    if not (_num.isdigit() and _period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(f"Environment variable API_THROTTLE_TOKENS is malformed: {_key}={_rate!r}; "
                                   "expected <token_key>=<number>/<second|minute|hour|day>,...")
for _scope, _rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items():  # type: ignore[attr-defined]
    _num, _, _period = str(_rate).partition("/")
    if not (_num.isdigit() and _period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(f"Environment variable API_THROTTLE_{_scope.upper()} is malformed: {_rate!r}; "
                                   "expected <number>/<second|minute|hour|day>")
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "programs.api.throttling.AnonThrottle",
    "programs.api.throttling.UserThrottle",
]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "programs.api.throttling.describe_rates",
]

# Backups keep timestamps to the microsecond (Django's JSON keeps milliseconds): adctrack/exact_json.py.
SERIALIZATION_MODULES = {"exact_json": "adctrack.exact_json"}
# === end of issue 20 block =======================================================================
