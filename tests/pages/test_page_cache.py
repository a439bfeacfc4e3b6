"""The page cache of the asset list and asset page: a repeated view is a cache read, nothing goes stale."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.test import Client

from milestones.models import Milestone
from milestones.vocab import MilestoneKind, MilestoneStatus
from programs.derivation.derived import recompute_asset
from programs.models import Asset
from programs.roles import BD, EDITOR, ensure_roles

pytestmark = pytest.mark.django_db


def test_it_serves_a_repeated_view_from_the_cache(
    viewer_client: Client, demo_data: None, django_assert_max_num_queries  # type: ignore[no-untyped-def]
) -> None:
    url = Asset.objects.get(code="NEOK002").get_absolute_url()
    first = viewer_client.get(url).content.decode()
    # Session and user; the permissions come from the cache too (programs.readpath.pagecache); no asset query.
    with django_assert_max_num_queries(2):
        second = viewer_client.get(url).content.decode()
    assert _main(second) == _main(first) and "Biocytogen" in _main(second)


def _main(html: str) -> str:
    """The page's content (the header's logout form carries a fresh CSRF token on every response)."""
    return html[html.index("<main"):html.index("</main>")]


def test_it_shows_an_edit_made_after_the_page_was_cached(viewer_client: Client, demo_data: None) -> None:
    asset = Asset.objects.get(code="NEOK002")
    assert "NCT09999991" not in viewer_client.get(asset.get_absolute_url()).content.decode()
    Milestone.objects.create(
        asset=asset, kind=MilestoneKind.PHASE_STARTED, phase="phase1", agency="FDA", date=dt.date(2026, 1, 5),
        status=MilestoneStatus.OCCURRED, trial_id="NCT09999991", source=asset.milestones.first().source,
    )
    assert "NCT09999991" in viewer_client.get(asset.get_absolute_url()).content.decode()


def test_it_shows_a_derived_recompute_made_after_the_page_was_cached(viewer_client: Client, demo_data: None) -> None:
    asset = Asset.objects.get(code="NEOK002")
    assert '<span class="tag phase">Phase 3</span>' not in viewer_client.get(asset.get_absolute_url()).content.decode()
    # A bulk update sends no signal; the recompute that follows it must still move the cache.
    Milestone.objects.filter(pk=asset.milestones.first().pk).update(
        kind=MilestoneKind.PHASE_STARTED, phase="phase3", status=MilestoneStatus.OCCURRED, date=dt.date(2025, 1, 1),
    )
    recompute_asset(asset.pk)
    assert '<span class="tag phase">Phase 3</span>' in viewer_client.get(asset.get_absolute_url()).content.decode()


def _client_in(role: str) -> Client:
    user = get_user_model().objects.create_user(f"cache-{role}", password=f"{role}-pass-1234567")
    user.groups.add(ensure_roles()[role])
    client = Client()
    client.force_login(user)
    return client


def test_it_keeps_an_editors_buttons_from_a_viewer(viewer_client: Client, demo_data: None) -> None:
    editor_client = _client_in(EDITOR)
    url = Asset.objects.get(code="NEOK002").get_absolute_url()
    assert "Edit asset" in editor_client.get(url).content.decode()
    assert "Edit asset" not in viewer_client.get(url).content.decode()


def test_it_shows_a_new_roles_buttons_at_once(viewer_client: Client, demo_data: None) -> None:
    """Permissions are cached under a version that any change of role moves: no stale buttons either way."""
    from django.contrib.auth.models import Group

    user = get_user_model().objects.get(username="page-viewer")
    url = Asset.objects.get(code="NEOK002").get_absolute_url()
    assert "Edit asset" not in viewer_client.get(url).content.decode()
    user.groups.add(Group.objects.get(name=EDITOR))
    assert "Edit asset" in viewer_client.get(url).content.decode()
    user.groups.remove(Group.objects.get(name=EDITOR))
    assert "Edit asset" not in viewer_client.get(url).content.decode()


def test_it_lists_an_asset_created_after_the_list_was_cached(viewer_client: Client, demo_data: None) -> None:
    neok = Asset.objects.get(code="NEOK002")
    query = {"originator": neok.originator.slug}
    assert "ZZ-CACHE-1" not in viewer_client.get("/assets/", query).content.decode()
    Asset.objects.create(code="ZZ-CACHE-1", slug="zz-cache-1", originator=neok.originator)
    assert "ZZ-CACHE-1" in viewer_client.get("/assets/", query).content.decode()


def test_it_keeps_export_links_from_a_viewer(viewer_client: Client, demo_data: None) -> None:
    bd_client = _client_in(BD)
    assert "format=xlsx" in bd_client.get("/assets/", {"target": "EGFR"}).content.decode()
    assert "format=xlsx" not in viewer_client.get("/assets/", {"target": "EGFR"}).content.decode()


def test_it_caches_each_query_string_apart(viewer_client: Client, demo_data: None) -> None:
    egfr = viewer_client.get("/assets/", {"target": "EGFR"}).content.decode()
    her2 = viewer_client.get("/assets/", {"target": "ERBB2"}).content.decode()
    assert "NEOK002" in egfr and "NEOK002" not in her2


def test_it_shows_counts_from_before_an_edit_for_a_minute_at_most(
    viewer_client: Client, demo_data: None, settings, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    import re

    from programs.readpath import data_version, facets, pagecache

    settings.ADCTRACK_FACET_FRESH_SECONDS = 60
    neok = Asset.objects.get(code="NEOK002")
    query = {"originator": neok.originator.slug}
    # Counts another test (or run) computed for this filter state must not stand in for the first view.
    pagecache.cache.delete(f"adctrack:facets-recent:{facets._state_digest(QueryDict(urlencode(query)))}")
    kept_for: list[int] = []
    real_set = pagecache.cache.set
    def spy(key: str, value: object, timeout: int) -> None:
        if key.startswith("adctrack:page:asset-list:"):
            kept_for.append(timeout)
        real_set(key, value, timeout)

    monkeypatch.setattr(pagecache.cache, "set", spy)

    def bispecific_count(html: str) -> int:
        match = re.search(r"Bispecific</a> <span class=\"count\">(\d+)</span>", html)
        assert match is not None
        return int(match.group(1))

    before = viewer_client.get("/assets/", query).content.decode()
    Asset.objects.create(code="ZZ-FRESH-1", slug="zz-fresh-1", originator=neok.originator,
                         antibody_format="bispecific")
    after = viewer_client.get("/assets/", query).content.decode()
    assert "ZZ-FRESH-1" in after  # the rows are always current
    assert bispecific_count(after) == bispecific_count(before)  # the counts from before the edit ...
    assert "they catch up within a minute" in after  # ... and the page says so
    assert kept_for[0] == pagecache.PAGE_CACHE_SECONDS and 0 < kept_for[1] <= 60  # ... and is kept no longer
    # A minute on, the next view (of a page no longer cached: Redis expires it by its own clock, so
    # here the version moves) recounts.
    later = time.time() + 61
    monkeypatch.setattr(facets.time, "time", lambda: later)
    data_version.bump()
    recounted = viewer_client.get("/assets/", query).content.decode()
    assert bispecific_count(recounted) == bispecific_count(before) + 1
    assert "they catch up within a minute" not in recounted
