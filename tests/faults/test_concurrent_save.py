"""Two editors save the same record at the same moment: exactly one wins, nothing is lost silently."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from programs.editing.versions import VersionConflict, save_if_unchanged
from programs.models import Company


def _save(pk: int, read_version: int, website: str) -> bool:
    """What the editor form does: load, change, save only if nobody saved since ``read_version``."""
    company = Company.objects.get(pk=pk)
    company.website = website
    try:
        save_if_unchanged(company, read_version)
    except VersionConflict:
        return False
    return True

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(pk: int, version: int, contenders: int) -> list[bool]:
    barrier = threading.Barrier(contenders)
    results: list[bool] = [False] * contenders

    def editor(i: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            results[i] = _save(pk, version, f"https://editor{i}.example.org")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=editor, args=(i,)) for i in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("contenders", [2, 8])
def test_it_lets_exactly_one_of_simultaneous_editors_win(contenders: int) -> None:
    company = Company.objects.create(name="Racing Bio", slug="racing-bio")
    results = _race(company.pk, company.version, contenders)
    assert results.count(True) == 1
    company.refresh_from_db()
    assert company.version == 2
    assert company.history.count() == 2
    winner = results.index(True)
    assert company.website == f"https://editor{winner}.example.org"


def test_it_refuses_a_save_based_on_a_stale_version() -> None:
    company = Company.objects.create(name="Stale Bio", slug="stale-bio")
    assert _save(company.pk, 1, "https://first.example.org")
    assert not _save(company.pk, 1, "https://stale.example.org")
    company.refresh_from_db()
    assert (company.version, company.website) == (2, "https://first.example.org")
    assert company.history.count() == 2  # created, then the one save that won
