"""The cache backend: Redis as a speed-up that may go away, never a single point of failure.

Why it exists: pages, facet counts and permissions are cached in Redis, and Django's ``RedisCache``
raises ``redis.ConnectionError`` from every call while Redis is unreachable, so reading and saving
failed with it. ``ResilientRedisCache`` catches connection errors and timeouts, opens a circuit
breaker for ``retry_seconds`` (shared by every thread of the process), and answers misses and no-ops
meanwhile: the callers compute from the database instead. It logs one warning when Redis goes away
and one info line when it is back, and on its return sends ``cache_recovered`` *before* the call
that found it back runs, so the application can move its version counters past anything cached
before the outage (edits made during it could not move them).

``VersionCounter`` is such a counter: a number held in the cache that only goes up, even across a
Redis restart, a flush or an eviction of its key. Every move sets it to max(old + 1, Redis' clock in
microseconds) in one server-side script (one round trip, as ``INCR``), so a counter that starts
again is above every value it held before.

Must not: import application code (it signals instead); add round trips while Redis is up (the
breaker is an in-memory check); make a caller wait longer than the socket timeouts while Redis is
down; swallow errors other than Redis being unreachable (a wrong command is a bug and raises).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, TypeVar
from urllib.parse import urlparse

import redis
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

log = logging.getLogger("adctrack.cache")

T = TypeVar("T")

#: Redis is away (refused, reset, timed out, still loading its data, a replica after a failover).
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.ReadOnlyError)

#: Sent (``sender`` = the backend class, ``backend`` = the instance) when Redis answers again after an
#: outage, before the call that found it back runs. Receivers should move their version counters.
cache_recovered = Signal()

# One script for every counter move: max(old + 1, server clock in µs). The server's clock, so web
# hosts with skewed clocks agree; %d, because Lua would print 1.7e15 in exponent notation.
_ADVANCE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local old = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
local new = math.max(old + 1, now)
redis.call('SET', KEYS[1], string.format('%d', new))
return new
"""


@dataclass
class _Breaker:
    """Whether this process currently believes Redis at ``name`` is reachable."""

    name: str
    retry_seconds: float
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: ``time.monotonic()`` when Redis was found unreachable; None while it is believed up.
    down_since: float | None = None
    #: While down: the first moment a caller may try Redis again.
    retry_at: float = 0.0


# Django keeps one backend instance per thread; the breaker is per process and server list, so one
# thread finding Redis gone spares the others the timeout.
_breakers: dict[tuple[str, ...], _Breaker] = {}
_breakers_lock = threading.Lock()


def _shown(url: str) -> str:
    """host:port/db of a Redis URL: it may carry a password, which has no place in a log line."""
    parsed = urlparse(url)
    return f"{parsed.hostname}:{parsed.port or 6379}{parsed.path}"


def _breaker(servers: Iterable[str], retry_seconds: float) -> _Breaker:
    names = tuple(servers)
    with _breakers_lock:
        if names not in _breakers:
            _breakers[names] = _Breaker(",".join(map(_shown, names)), retry_seconds)
        return _breakers[names]


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache`` that answers a miss (or does nothing) while Redis is unreachable.

    ``OPTIONS`` takes, besides the redis-py connection options (set ``socket_connect_timeout`` and
    ``socket_timeout`` short: they bound what a request waits for a Redis that went away),
    ``retry_seconds``: how long after a failure the process leaves Redis alone.
    """

    _servers: list[str]  # set by RedisCache.__init__

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = float(options.pop("retry_seconds", 5.0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._breaker = _breaker(self._servers, retry_seconds)

    # --- the breaker -----------------------------------------------------------------------------

    def available(self) -> bool:
        """False while the breaker is open. No I/O while Redis is up; once the retry time is reached,
        one caller PINGs (the others keep skipping Redis meanwhile)."""
        breaker = self._breaker
        if breaker.down_since is None:
            return True
        with breaker.lock:
            if breaker.down_since is None:
                return True
            now = time.monotonic()
            if now < breaker.retry_at:
                return False
            breaker.retry_at = now + breaker.retry_seconds
        return self.check()

    def check(self) -> bool:
        """PING Redis now, whatever the breaker says, and update it (``/healthz`` calls this)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNAVAILABLE as exc:
            self._trip(exc)
            return False
        self._recovered()
        return True

    def _trip(self, exc: Exception) -> None:
        breaker = self._breaker
        now = time.monotonic()
        with breaker.lock:
            first = breaker.down_since is None
            if first:
                breaker.down_since = now
            breaker.retry_at = now + breaker.retry_seconds
        if first:
            log.warning("Redis cache at %s is unreachable (%s): serving from the database, uncached, and "
                        "trying Redis again every %g s", breaker.name, exc, breaker.retry_seconds)
        else:
            log.debug("Redis cache at %s still unreachable: %s", breaker.name, exc)

    def _recovered(self) -> None:
        breaker = self._breaker
        with breaker.lock:
            since = breaker.down_since
            breaker.down_since = None
        if since is None:
            return  # it was up, or another thread saw it come back first
        log.info("Redis cache at %s is reachable again after %.1f s; caching resumes", breaker.name,
                 time.monotonic() - since)
        for receiver, result in cache_recovered.send_robust(sender=type(self), backend=self):
            if isinstance(result, Exception):
                log.error("cache_recovered receiver %r failed: %r", receiver, result)

    def _guarded(self, call: Callable[[], T], fallback: T) -> T:
        if not self.available():
            return fallback
        try:
            return call()
        except UNAVAILABLE as exc:
            self._trip(exc)
            return fallback

    # --- the cache API: each call as RedisCache's, or its "nothing there / nothing done" answer ---

    def add(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded(partial(super().add, key, value, timeout, version), False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded(partial(super().get, key, default, version), default)

    def set(self, key: Any, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guarded(partial(super().set, key, value, timeout, version), None)

    def touch(self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded(partial(super().touch, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(partial(super().delete, key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._guarded(partial(super().get_many, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(partial(super().has_key, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """As a missing key (ValueError), like Django's memcached backends with ``ignore_exc``."""
        if self.available():
            try:
                return int(super().incr(key, delta, version))
            except UNAVAILABLE as exc:
                self._trip(exc)
        raise ValueError(f"Key {key!r} not found: the cache is unavailable.")

    def set_many(self, data: dict[Any, Any], timeout: float | None = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[Any]:
        return self._guarded(partial(super().set_many, data, timeout, version), list(data))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._guarded(partial(super().delete_many, keys, version), None)

    def clear(self) -> None:
        self._guarded(super().clear, None)

    # --- counters --------------------------------------------------------------------------------

    @cached_property
    def _advance_script(self) -> Any:
        return self._cache.get_client(write=True).register_script(_ADVANCE)  # no I/O until called

    def advance(self, key: str, version: int | None = None) -> int | None:
        """Set ``key`` to max(its value + 1, the server's clock in µs); the new value, None while down."""
        redis_key = self.make_and_validate_key(key, version=version)

        def run() -> int:
            return int(self._advance_script(keys=[redis_key], client=self._cache.get_client(redis_key, write=True)))

        return self._guarded(run, None)


def available(backend: BaseCache | None = None) -> bool:
    """Whether the (default) cache can be used now; always True for backends without a breaker."""
    backend = backend if backend is not None else caches[DEFAULT_CACHE_ALIAS]
    return backend.available() if isinstance(backend, ResilientRedisCache) else True


_local_lock = threading.Lock()


class VersionCounter:
    """A version number in the default cache that never goes backwards (see the module docstring).

    Cache keys built on it (``f"page:{counter.current()}:..."``) are never read again once it moves,
    and since a counter that starts again (restart, flush, eviction) starts above every earlier value,
    nothing cached under an earlier value can come back.
    """

    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> int | None:
        """The current value (one cache read); None while the cache is unavailable: cache nothing then."""
        value = caches[DEFAULT_CACHE_ALIAS].get(self.key)
        if value is None:  # never set, flushed or evicted (or the cache is away: advance says None)
            return self.advance()
        return int(value)

    def advance(self) -> int | None:
        """Move the counter on; returns the new value, or None while the cache is unavailable."""
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, ResilientRedisCache):
            return backend.advance(self.key)
        # A per-process cache (LocMem, the embedded default): a lock makes the move atomic.
        with _local_lock:
            old = backend.get(self.key)
            new = max(int(old or 0) + 1, time.time_ns() // 1000)
            backend.set(self.key, new, None)
        return new
