"""Message-template characters in every filter of every list, export and API endpoint: never a 5xx.

A filter that put the user's value into a ``ValidationError`` template answered 500 to ``?pair=%v``:
django-filter's API path formats every message with ``%``. Filters are enumerated at run time: each API
viewset's FilterSet (plus ordering and paging), and for the HTML lists and exports every filter of
every FilterSet in the project, so a filter added later is covered.
"""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from adctrack.api_urls import router
from tests.test_permission_matrix import Route, _url, routes

pytestmark = pytest.mark.django_db
VALUES = ["%", "%s", "%(x)s", "{}", "%v {0} 100%"]
# The HTML lists and exports render whole pages: one value holding every trap at once, and a bare "%".
PAGE_VALUES = ["%", "%v %s %(x)s {} {0} %%( 100%"]
PAGING = ["ordering", "page", "page_size", "cursor", "format"]


def _project_filtersets() -> list[type[django_filters.FilterSet]]:
    found: list[type[django_filters.FilterSet]] = []
    pending = list(django_filters.FilterSet.__subclasses__())
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in {"programs", "milestones", "adctrack"}:
            found.append(cls)
    return found


def _api_filters() -> dict[str, list[str]]:
    """API list path -> its query parameters (the viewset's FilterSet, ordering and paging)."""
    found = {}
    for prefix, viewset, _ in router.registry:
        filterset = getattr(viewset, "filterset_class", None)
        found[prefix] = [*(filterset.base_filters if filterset is not None else []), *PAGING]
    return found


def _api_exports() -> list[Route]:
    return [r for r in routes() if r.name.startswith("api:") and r.name.endswith("_export") and not r.kwargs]


@pytest.fixture
def api() -> APIClient:
    user = get_user_model().objects.create_superuser("templates-api", "t@example.org", None)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("prefix", sorted(_api_filters()))
def test_no_api_filter_value_is_a_template(demo_data: None, api: APIClient, prefix: str) -> None:
    failures: list[str] = []
    for name in _api_filters()[prefix]:
        for value in VALUES:
            response = api.get(f"/api/v1/{prefix}/", {name: value})
            status = response.status_code
            if status >= 500 or status == 400 and response.json()["error"]["code"] != "invalid":
                failures.append(f"/api/v1/{prefix}/?{name}={value} -> {response.status_code}")
    assert not failures, "\n".join(failures[:20])


def _html_lists() -> list[Route]:
    return [r for r in routes() if not r.kwargs and not r.name.startswith("api:")
            and r.name.endswith(("_list", "_export"))] + _api_exports()


@pytest.mark.parametrize("route", _html_lists(), ids=lambda r: r.name)
def test_no_list_or_export_filter_value_is_a_template(demo_data: None, route: Route) -> None:
    names = sorted({n for fs in _project_filtersets() for n in fs.base_filters} | {"q", "sort", "page", "format"})
    user = get_user_model().objects.create_superuser("templates-html", "h@example.org", None)
    client = Client(raise_request_exception=False)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = _url(route, {})
    failures: list[str] = []
    for name in names:
        for value in PAGE_VALUES:
            params: dict[str, Any] = {name: value}
            if route.name.endswith("_export") and name != "format":
                params["format"] = "csv"
            response = client.get(url, params)
            if response.status_code >= 500:
                failures.append(f"{url}?{name}={value} -> {response.status_code}")
    assert not failures, "\n".join(failures[:20])


def test_it_found_the_filtersets() -> None:
    names = {cls.__name__ for cls in _project_filtersets()}
    assert {"AssetFilterSet", "DealFilterSet", "MilestoneFilterSet"} <= names, names
