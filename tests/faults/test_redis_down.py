"""Redis goes away in the middle of a run of edits: every edit is saved, every page stays true, and once
Redis is back the derived facts catch up and no page shows data from before an edit.

Redis here is the test's own ``redis-server`` (cache and broker, as ``REDIS_URL`` makes it), killed by
its PID (connections refused; started again empty on the same port) or paused (connections hang to
the socket timeout; every key, cached pages from before the outage included, survives it, as with a
network partition or a restart with persistence). No worker runs: the tasks the edits queue before the
outage wait in Redis and those during it are never sent, so the assets stay dirty; after it, the test
runs what beat's minutely sweeper runs (``sweep_dirty``), in-process.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from adctrack.cache import ResilientRedisCache, available
from adctrack.celery_app import app as celery_app
from milestones.models import Milestone
from programs.jobs import send
from programs.models import Asset
from programs.roles import EDITOR, VIEWER, ensure_roles
from programs.tasks import sweep_dirty
from tests.conftest import seed_demo
from tests.faults.formdata import record_post_data
from tests.redis_server import CACHE_TIMEOUT, RETRY_SECONDS, RedisServer, broker_at, cache_settings, redis_server
from tests.workers import celery_worker, fresh_start, node_name, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "outage-pass-12345"  # noqa: S105 - a test account's
EDITS = 10
OUTAGE_AT = 3  # edits 0..2 with Redis up (and pages cached), 3..9 with it away


@pytest.fixture
def own_redis(settings, tmp_path: Path) -> Iterator[RedisServer]:  # type: ignore[no-untyped-def]
    with redis_server(tmp_path) as server:
        settings.CACHES = cache_settings(server.url)
        settings.REDIS_URL = server.url
        with broker_at(server.url):
            yield server


def _client(role: str) -> Client:
    user = get_user_model().objects.create_user(f"outage-{role}", password=PASSWORD)
    user.groups.add(ensure_roles()[role])
    client = Client()
    client.force_login(user)
    return client


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def _assert_shows(viewer: Client, asset: Asset, current: str, earlier: list[str]) -> None:
    """The asset page, the asset list and the API show the newest edit, and none from before it."""
    page = viewer.get(asset.get_absolute_url())
    assert page.status_code == 200
    body = _main(page.content.decode())
    assert current in body and not [t for t in earlier if t in body]
    listing = viewer.get("/assets/", {"originator": asset.originator.slug})
    assert listing.status_code == 200 and asset.code in listing.content.decode()
    api = viewer.get(f"/api/v1/assets/{asset.pk}/")
    assert api.status_code == 200 and api.json()["description"] == current
    assert viewer.get("/api/v1/assets/").status_code == 200


def _edit_by_api(editor: Client, asset: Asset, text: str) -> None:
    response = editor.patch(f"/api/v1/assets/{asset.pk}/", json.dumps({"description": text}),
                            content_type="application/json")
    assert response.status_code == 200, response.content[:1000]


def _edit_by_form(editor: Client, asset: Asset, text: str) -> None:
    url = f"/assets/{asset.pk}/edit/"
    data = record_post_data(editor.get(url))
    data["description"] = text
    response = editor.post(url, data)
    assert response.status_code == 302, (
        response.context["form"].errors, response.context["form"].non_field_errors(),
        {k: fs.errors for k, fs in response.context["formsets"].items()}, data) if response.context else response


def _record_phase3(editor: Client, asset: Asset) -> None:
    response = editor.post("/milestones/quick/", {
        "asset": asset.code, "kind": "phase_started", "phase": "phase3", "agency": "FDA", "date": "2026-02-02",
        "status": "occurred", "indication": "", "trial_id": "NCT07777777",
        "source_url": "https://example.com/outage-pr", "source_title": "Press release during the outage",
    })
    assert response.status_code == 302, response.content[:2000]


def _sign_in() -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": f"outage-{VIEWER}", "password": PASSWORD})
    assert response.status_code == 302, response.content[:2000]
    assert client.get("/assets/").status_code == 200
    return client


@pytest.mark.parametrize("outage", ["killed", "paused"])
def test_edits_and_pages_survive_a_redis_outage(own_redis: RedisServer, outage: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    seed_demo()
    asset = Asset.objects.get(code="NEOK002")
    assert asset.highest_phase != "phase3"
    viewer, editor = _client(VIEWER), _client(EDITOR)
    history_before = asset.history.count()
    tokens: list[str] = []

    for i in range(EDITS):
        if i == OUTAGE_AT:
            assert available()
            own_redis.kill() if outage == "killed" else own_redis.pause()
        token = f"zz-outage-{outage}-{i:02d}"
        (_edit_by_api if i % 2 else _edit_by_form)(editor, asset, token)
        tokens.append(token)
        if i == OUTAGE_AT + 1:
            _record_phase3(editor, asset)
        if i == OUTAGE_AT + 2:
            viewer = _sign_in()  # saving last_login moves the permissions version: must not fail either
        _assert_shows(viewer, asset, token, tokens[:-1])
    assert not available()

    asset.refresh_from_db()
    assert asset.description == tokens[-1]
    assert asset.history.count() == history_before + EDITS  # one history row per edit, none lost
    assert Milestone.objects.filter(asset=asset, trial_id="NCT07777777").exists()
    # What the outage could not do waits in the dirty flag: the recompute was never queued.
    assert asset.derived_dirty and asset.highest_phase != "phase3"

    if outage == "killed":
        own_redis.start()  # the same port, empty
    else:
        own_redis.resume()  # every key from before the outage is still there
    wait_for(available, "the cache to find Redis back", timeout=RETRY_SECONDS + 10)
    _assert_shows(viewer, asset, tokens[-1], tokens[:-1])  # nothing cached before an edit comes back

    # Beat's sweeper, every minute, in-process here (no worker): it queues what is still dirty.
    celery_app.conf.task_always_eager = True
    try:
        sweep_dirty.apply(throw=True)
    finally:
        celery_app.conf.task_always_eager = False
    asset.refresh_from_db()
    assert not asset.derived_dirty and asset.highest_phase == "phase3"
    html = viewer.get(asset.get_absolute_url()).content.decode()
    assert '<span class="tag phase">Phase 3</span>' in html and tokens[-1] in html
    assert viewer.get(f"/api/v1/assets/{asset.pk}/").json()["highest_phase"] == "phase3"

    cache_log = [r for r in caplog.records if r.name == "adctrack.cache"]
    assert [r.levelno for r in cache_log] == [logging.WARNING, logging.INFO]  # gone once, back once
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]  # not one traceback


def test_a_hung_redis_costs_one_timeout_per_retry_period_not_per_call(
    own_redis: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused Redis (every call would hang to the socket timeout): saves and page views go on, and
    the process pays at most one timeout per ``retry_seconds``, whatever the number of cache calls."""
    seed_demo()
    asset = Asset.objects.get(code="NEOK002")
    editor = _client(EDITOR)
    editor.get(asset.get_absolute_url())  # connections open and warm, as in a running process
    trips: list[float] = []
    real_trip = ResilientRedisCache._trip

    def counting_trip(self: ResilientRedisCache, exc: Exception) -> None:
        trips.append(time.monotonic())
        real_trip(self, exc)

    monkeypatch.setattr(ResilientRedisCache, "_trip", counting_trip)
    own_redis.pause()
    started = time.monotonic()
    calls = 0
    for i in range(6):
        (_edit_by_api if i % 2 else _edit_by_form)(editor, asset, f"zz-timed-{i}")
        assert editor.get(asset.get_absolute_url()).status_code == 200
        assert editor.get("/assets/").status_code == 200
        calls += 3
    elapsed = time.monotonic() - started
    assert Asset.objects.get(pk=asset.pk).description == "zz-timed-5"
    # Each request makes several cache calls (versions, permissions, page, facets, throttle): without
    # the breaker every one of them would wait CACHE_TIMEOUT.
    assert 1 <= len(trips) <= elapsed / RETRY_SECONDS + 1
    assert len(trips) < calls
    assert elapsed < calls * 2 * CACHE_TIMEOUT + 10  # not one timeout per call: far less


@pytest.mark.postgres
@pytest.mark.worker
def test_a_real_worker_catches_up_after_redis_returns(own_redis: RedisServer) -> None:
    """As deployed: a Celery worker on the same Redis (broker and cache). Killed mid-run, Redis comes back
    empty (queued tasks gone too); the worker reconnects by itself and the sweep brings everything up to date."""
    seed_demo()
    fresh_start()
    asset = Asset.objects.get(code="NEOK002")
    viewer, editor = _client(VIEWER), _client(EDITOR)
    worker_env = {"REDIS_URL": own_redis.url, "REDIS_CACHE_RETRY_SECONDS": str(RETRY_SECONDS)}
    with celery_worker(node_name("redisdown"), **worker_env):
        tokens: list[str] = []
        for i in range(6):
            if i == 2:
                wait_for(lambda: not Asset.objects.get(pk=asset.pk).derived_dirty, "the worker's recompute")
                own_redis.kill()
            token = f"zz-worker-outage-{i:02d}"
            (_edit_by_api if i % 2 else _edit_by_form)(editor, asset, token)
            tokens.append(token)
            if i == 3:
                _record_phase3(editor, asset)
            _assert_shows(viewer, asset, token, tokens[:-1])
        assert Asset.objects.get(pk=asset.pk).derived_dirty  # nothing could be queued meanwhile

        own_redis.start()
        wait_for(available, "the cache to find Redis back", timeout=RETRY_SECONDS + 10)
        # What beat sends every minute; the first publish may meet a connection from before the restart.
        wait_for(lambda: send(sweep_dirty), "the sweep to be queued")

        def caught_up() -> bool:
            fresh = Asset.objects.get(pk=asset.pk)
            return not fresh.derived_dirty and fresh.highest_phase == "phase3"

        wait_for(caught_up, "the worker to reconnect and recompute the asset")
    html = viewer.get(asset.get_absolute_url()).content.decode()
    assert '<span class="tag phase">Phase 3</span>' in html and tokens[-1] in html
    assert not [t for t in tokens[:-1] if t in _main(html)]


def test_a_background_export_asked_for_while_redis_is_away_says_so(own_redis: RedisServer, settings) -> None:  # type: ignore[no-untyped-def]
    from programs.models import ExportLog
    from programs.roles import BD

    settings.ADCTRACK_XLSX_SYNC_MAX_ROWS = 0  # every XLSX is built in the background
    seed_demo()
    bd = _client(BD)
    own_redis.kill()
    response = bd.get("/deals/export/", {"format": "xlsx"})
    assert response.status_code == 302  # to the export's status page, as always
    log = ExportLog.objects.get()
    assert log.state == ExportLog.State.FAILED and "could not be queued" in log.error
    status = bd.get(response["Location"])
    assert status.status_code == 200 and "could not be queued" in status.content.decode()
