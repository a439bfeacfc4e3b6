"""The cache backend treats Redis as a speed-up: misses while it is away, bounded waits, one log line each way.

Each test runs its own ``redis-server`` (tests/redis_server.py) and breaks it: killed (connections
refused) or paused (connections hang until the socket timeout).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.test import Client

from adctrack.cache import ResilientRedisCache, VersionCounter, available, cache_recovered
from tests.redis_server import CACHE_TIMEOUT, RETRY_SECONDS, RedisServer, cache_settings, redis_server
from tests.workers import wait_for


@pytest.fixture
def server(settings, tmp_path: Path) -> Iterator[RedisServer]:  # type: ignore[no-untyped-def]
    with redis_server(tmp_path) as running:
        settings.CACHES = cache_settings(running.url)
        assert isinstance(caches["default"], ResilientRedisCache)
        yield running


def _cache_records(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "adctrack.cache" and r.levelno == level]


def test_it_answers_misses_while_redis_is_gone_and_logs_once_each_way(
    server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="adctrack.cache")
    cache.set("k", {"v": 1}, 60)
    assert cache.get("k") == {"v": 1}
    server.kill()
    for _ in range(20):  # every call of the cache API answers "nothing there" or "nothing done"
        assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
        cache.set("k", 2, 60)
        assert cache.add("other", 1) is False and cache.delete("k") is False and cache.get_many(["k"]) == {}
        assert cache.get_or_set("k", 3) == 3 and cache.has_key("k") is False
        with pytest.raises(ValueError):
            cache.incr("k")
    assert not available()
    assert len(_cache_records(caplog, logging.WARNING)) == 1
    assert "unreachable" in _cache_records(caplog, logging.WARNING)[0]
    assert str(server.port) in _cache_records(caplog, logging.WARNING)[0]
    assert not any(r.exc_info for r in caplog.records)  # no traceback, not even one

    server.start()  # same port, empty (no persistence)
    wait_for(available, "the cache to find Redis back", timeout=RETRY_SECONDS + 10)
    cache.set("k", 4, 60)
    assert cache.get("k") == 4
    assert len(_cache_records(caplog, logging.WARNING)) == 1
    assert [m for m in _cache_records(caplog, logging.INFO) if "reachable again" in m] != []


def test_it_waits_one_timeout_then_leaves_redis_alone(server: RedisServer) -> None:
    """A hung Redis (paused: connections open, nothing answers) costs one socket timeout, then nothing."""
    assert cache.get("warm") is None  # the pool holds a connection, as in a running process
    server.pause()
    started = time.monotonic()
    assert cache.get("k") is None
    first = time.monotonic() - started
    assert CACHE_TIMEOUT * 0.8 <= first < CACHE_TIMEOUT + 1.0
    started = time.monotonic()
    for _ in range(200):
        cache.get("k")
        cache.set("k", 1, 60)
    assert time.monotonic() - started < CACHE_TIMEOUT  # 400 calls, no network at all: the breaker is open
    server.resume()
    wait_for(available, "the cache to find Redis back", timeout=RETRY_SECONDS + 10)
    cache.set("k", 1, 60)
    assert cache.get("k") == 1


def test_its_counters_never_go_backwards(server: RedisServer) -> None:
    counter = VersionCounter("test:counter")
    first = counter.current()
    before_restart = counter.advance()
    assert first is not None and before_restart is not None and before_restart > first
    assert counter.current() == before_restart
    server.kill()
    assert counter.current() is None and counter.advance() is None  # away: no value, nothing cached under one
    server.start()  # empty: the counter's key is gone with everything else
    wait_for(available, "the cache to find Redis back", timeout=RETRY_SECONDS + 10)
    after_restart = counter.current()
    assert after_restart is not None and after_restart > before_restart
    cache.clear()  # a flush (or an eviction of the key) starts it above every earlier value too
    after_flush = counter.current()
    assert after_flush is not None and after_flush > after_restart


def test_it_moves_counters_when_redis_comes_back_before_the_call_that_found_it(server: RedisServer) -> None:
    """Keys outlive a pause (or a restart with persistence): edits made meanwhile moved nothing, so the
    ``cache_recovered`` receivers must move the versions before anything is read under the old ones."""
    counter = VersionCounter("test:recovered")
    moved: list[int | None] = []

    def receiver(**_kwargs: object) -> None:
        moved.append(counter.advance())

    cache_recovered.connect(receiver, dispatch_uid="test-recovered")
    try:
        before = counter.current()
        assert before is not None
        server.pause()
        assert counter.current() is None
        server.resume()
        wait_for(lambda: time.monotonic() > caches["default"]._breaker.retry_at, "the retry time")  # type: ignore[attr-defined]
        seen = counter.current()  # the first call after the outage: the receiver ran before its read
        assert len(moved) == 1 and moved[0] is not None and seen == moved[0] and seen > before
    finally:
        cache_recovered.disconnect(dispatch_uid="test-recovered")


def test_a_local_counter_only_goes_up() -> None:
    """The embedded default (LocMem, no Redis) keeps the same promise within its one process."""
    counter = VersionCounter("test:local")
    values = [counter.advance() for _ in range(5)]
    assert all(isinstance(v, int) for v in values)
    assert values == sorted(set(values))  # type: ignore[type-var]
    assert counter.current() == values[-1]


@pytest.mark.django_db
def test_healthz_names_the_broker_and_the_cache_while_redis_is_gone(server: RedisServer, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = server.url
    assert Client().get("/healthz").json()["checks"] == {"database": "ok", "broker": "ok", "cache": "ok"}
    server.kill()
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["failed"] == ["broker", "cache"] and response.json()["checks"]["database"] == "ok"
    server.start()
    # The health check itself tries Redis (no waiting for the breaker's retry time) and resumes caching.
    assert Client().get("/healthz").status_code == 200
    assert available()
