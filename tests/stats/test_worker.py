"""With a REAL Celery worker process (PostgreSQL + Redis): an edit through the admin updates the statistics.

Runs only when REDIS_URL is set (the embedded run deselects ``-m "not worker"``); when REDIS_URL is
set and the worker cannot start, the fixture FAILS rather than skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from amqp.exceptions import ChannelError
from django.conf import settings
from django.urls import reverse

from adctrack.celery_app import app as celery_app
from milestones.models import Milestone
from programs.derivation.stats.compute import recompute_all
from programs.models import Asset, Source, StatisticGroup
from programs.tasks import sweep_dirty
from tests.conftest import seed_demo
from tests.stats.helpers import figures
from tests.workers import celery_worker, fresh_start, node_name, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(transactional_db: None) -> Iterator[str]:
    """A `celery worker` subprocess on the test database and this run's queue, ready when it answers a ping."""
    fresh_start()
    name = node_name("i7test")
    with celery_worker(name):
        yield name


def _idle(worker: str) -> bool:
    """True when the worker runs nothing, holds nothing and nothing waits in the queue.

    The solo pool cannot answer ``inspect`` while it runs a task, so a busy worker reads as not idle.
    """
    inspect = celery_app.control.inspect(destination=[worker], timeout=1)
    active, reserved = (inspect.active() or {}).get(worker), (inspect.reserved() or {}).get(worker)
    with celery_app.connection_for_write() as conn:
        try:
            waiting = conn.default_channel.queue_declare(queue=settings.CELERY_TASK_DEFAULT_QUEUE,
                                                         passive=True).message_count
        except ChannelError:  # Redis drops the list of an empty queue: "no queue"
            waiting = 0
    return active == [] and reserved == [] and waiting == 0


@contextmanager
def broker_down() -> Iterator[None]:
    """Point the app's broker connection at an unused port; restore it afterwards."""
    real = celery_app.connection_for_write
    saved_pool, saved_producers = celery_app._pool, celery_app.amqp._producer_pool
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(celery_app, "connection_for_write",
                       lambda url=None, **kw: real(url="redis://127.0.0.1:1/0", **kw))
            yield
    finally:
        celery_app._pool, celery_app.amqp._producer_pool = saved_pool, saved_producers


def _add_ind_through_the_admin(client, django_user_model, code: str, date: str) -> None:  # type: ignore[no-untyped-def]
    admin = django_user_model.objects.create_superuser(f"admin-{code}", password="x-long-password-123")
    client.force_login(admin)
    response = client.post(reverse("admin:milestones_milestone_add"), {
        "asset": Asset.objects.get(code=code).pk, "kind": "ind_cleared", "agency": "FDA", "phase": "",
        "status": "occurred", "date": date, "date_precision": "day", "source": Source.objects.first().pk,
        "trial_id": "", "notes": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]


def test_it_updates_statistics_through_a_real_worker(worker: str, client, django_user_model) -> None:

    seed_demo()
    recompute_all()
    assert "FDA|2025" not in figures("inds_per_agency_year")

    _add_ind_through_the_admin(client, django_user_model, "JSKN021", "2025-06-02")

    wait_for(lambda: figures("inds_per_agency_year").get("FDA|2025") == 1, "the IND count to reach the worker")
    wait_for(lambda: figures("highest_phase").get("ind") == 3, "JSKN021's new highest phase in the statistics")
    asset = Asset.objects.get(code="JSKN021")
    assert asset.highest_phase == "ind" and asset.derived_dirty is False
    wait_for(lambda: not StatisticGroup.objects.filter(dirty=True).exists(), "every group to be clean")


def test_it_catches_up_after_the_broker_returns(worker: str, client, django_user_model, caplog) -> None:

    seed_demo()
    recompute_all()
    # The seed queued a recompute per asset: let the worker finish them first, or one of them could
    # clear NEOK002's flag (and count the new IND) while the broker is down.
    wait_for(lambda: _idle(worker), "the worker to finish the seed's tasks")
    with broker_down():
        _add_ind_through_the_admin(client, django_user_model, "NEOK002", "2024-03-04")
    assert "dirty flag stays set" in caplog.text  # the enqueue really failed
    assert Milestone.objects.filter(asset__code="NEOK002", date="2024-03-04").exists()
    assert Asset.objects.get(code="NEOK002").derived_dirty is True
    assert StatisticGroup.objects.get(group="inds_per_agency_year").dirty is True
    assert "FDA|2024" not in figures("inds_per_agency_year")

    sweep_dirty.delay()  # what beat does every minute, now that the broker is back

    wait_for(lambda: figures("inds_per_agency_year").get("FDA|2024") == 1, "the sweeper to catch up")
    wait_for(lambda: not Asset.objects.get(code="NEOK002").derived_dirty, "NEOK002 to be recomputed")
