"""The plain asset list's facet counts are recounted by a worker after a change, not by its next reader."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from adctrack.celery_app import app as celery_app
from programs.models import Asset
from programs.readpath import data_version
from programs.readpath.facets import WARM_FLAG, plain_list_key
from programs.tasks import warm_asset_facets
from tests.workers import celery_worker, fresh_start, node_name, wait_for

URL = "/assets/"


def _view(client: Client, params: dict[str, str] | None = None) -> tuple[str, int]:
    """The list's facet sidebar, and the counting (GROUP BY ... COUNT) queries the view ran."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params or {})
    assert response.status_code == 200
    html = response.content.decode()
    sidebar = html[html.index('<aside class="facets"'):html.index("</aside>")]
    return sidebar, sum("GROUP BY" in q["sql"] and "COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


def _counting_queries(client: Client) -> int:
    """Counting queries a view of the plain list ran (the facet counts)."""
    return _view(client)[1]


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Tasks sent to the broker (recorded, not run), with the app out of eager mode as with a worker."""
    sent: list[str] = []
    # Set and restored here, not with monkeypatch: monkeypatch is undone after the autouse fixture
    # that puts the app back out of eager mode, and would leave eager mode on for the next test.
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(warm_asset_facets, "apply_async", lambda *a, **kw: sent.append("warm"))
    cache.delete(WARM_FLAG)
    yield sent
    cache.delete(WARM_FLAG)
    celery_app.conf.task_always_eager = saved


@pytest.mark.django_db
def test_it_spares_the_first_reader_the_count(viewer_client: Client, demo_data: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ADCTRACK_FACET_FRESH_SECONDS = 0
    data_version.bump()
    assert _counting_queries(viewer_client) > 0  # nobody counted this version: the reader does
    data_version.bump()
    version = warm_asset_facets.run()
    assert version == data_version.current() and cache.get(plain_list_key(version)) is not None
    assert _counting_queries(viewer_client) == 0


@pytest.mark.django_db
def test_it_queues_one_recount_per_burst_of_changes(queued: list[str], demo_data: None,
                                                     django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    asset = Asset.objects.get(code="NEOK002")
    with django_capture_on_commit_callbacks(execute=True):
        asset.description = "first"
        asset.save()
        asset.description = "second"
        asset.save()
    assert queued == ["warm"]
    cache.delete(WARM_FLAG)  # what the task does first when it starts
    with django_capture_on_commit_callbacks(execute=True):
        asset.save()
    assert queued == ["warm", "warm"]


@pytest.mark.django_db
def test_it_queues_nothing_in_eager_mode(demo_data: None, monkeypatch: pytest.MonkeyPatch,
                                         django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    sent: list[str] = []
    monkeypatch.setattr(warm_asset_facets, "apply_async", lambda *a, **kw: sent.append("warm"))
    cache.delete(WARM_FLAG)
    assert celery_app.conf.task_always_eager  # the embedded default: no worker to hand the count to
    with django_capture_on_commit_callbacks(execute=True):
        Asset.objects.get(code="NEOK002").save()
    assert sent == [] and cache.get(WARM_FLAG) is None


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_it_has_a_real_worker_count_after_an_edit() -> None:
    from tests.conftest import seed_demo

    seed_demo()
    fresh_start()
    cache.delete(WARM_FLAG)
    with celery_worker(node_name("facetwarm")):
        asset = Asset.objects.get(code="NEOK002")
        asset.description = "edited while a worker runs"
        asset.save()  # autocommit: committed at once, the recount queued
        wait_for(lambda: cache.get(plain_list_key(data_version.current())) is not None,
                 "the worker to count the plain list's facets for the new version")


@pytest.mark.django_db
def test_it_takes_a_ticked_facets_own_counts_from_the_warm_plain_list(
    viewer_client: Client, demo_data: None, settings  # type: ignore[no-untyped-def]
) -> None:
    settings.ADCTRACK_FACET_FRESH_SECONDS = 0
    params = {"pair": "EGFR-ERBB3"}
    cache.clear()
    counted, counted_queries = _view(viewer_client, params)
    data_version.bump()
    warm_asset_facets.run()
    reused, reused_queries = _view(viewer_client, params)
    assert reused == counted and "EGFR × MUC1" in reused  # the pair facet still lists the other pairs
    assert reused_queries < counted_queries
