"""Company, target and deal pages and lists and the dashboard: a repeated view is a cache read, an edit
shows at once, and a target page's counts come from its summary (no GROUP BY over its assets)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programs.models import Company, Deal, Target

pytestmark = pytest.mark.django_db


def _urls() -> list[str]:
    company = Company.objects.order_by("pk").first()
    deal = Deal.objects.order_by("pk").first()
    assert company is not None
    urls = [
        "/companies/",
        "/targets/",
        "/deals/",
        "/deals/?kind=licence",
        "/",
        company.get_absolute_url(),
        Target.objects.get(symbol="ERBB2").get_absolute_url(),
    ]
    return urls + ([deal.get_absolute_url()] if deal is not None else [])  # the small data set has no deal


def _main(response: Any) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_a_repeated_view_reads_the_cache(
    viewer_client: Client, generated: int, django_assert_max_num_queries: Any
) -> None:
    for url in _urls():
        first = viewer_client.get(url)
        assert first.status_code == 200
        with django_assert_max_num_queries(3):  # session, user (and the dashboard's freshness)
            again = viewer_client.get(url)
        assert _main(again) == _main(first), url  # the header around it holds a fresh CSRF token


def test_the_target_page_does_not_group_its_assets(viewer_client: Client, generated: int) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert viewer_client.get(Target.objects.get(symbol="ERBB2").get_absolute_url()).status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]


def test_an_edit_shows_at_once(viewer_client: Client, generated: int) -> None:
    company = Company.objects.order_by("pk").first()
    assert company is not None
    assert company.name in viewer_client.get(company.get_absolute_url()).content.decode()
    company.name = "Renamed Therapeutics"
    company.save()
    assert "Renamed Therapeutics" in viewer_client.get(company.get_absolute_url()).content.decode()
