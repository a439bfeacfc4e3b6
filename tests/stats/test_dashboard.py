"""The dashboard at /: charts from the Statistic table, links to filtered lists, staleness, bounded queries."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.derivation.stats.compute import recompute_all
from programs.models import Asset, Company, StatisticGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("dash-viewer", password="x-long-password-123")


def test_it_shows_every_chart_with_a_table_alternative(demo_stats: None, client, viewer) -> None:
    client.force_login(viewer)
    html = client.get(reverse("programs:home")).content.decode()
    for chart in ("highest-phase", "target-pair", "conjugation-by-phase", "payload-class", "inds-per-agency-year",
                  "deals-by-year", "deal-value-by-year", "originator-country", "ild"):
        assert f'id="chart-{chart}"' in html
    assert html.count("<svg") >= 9
    assert html.count("<details><summary>Table</summary>") >= 9
    assert "css/dashboard.css" in html


def test_it_links_each_bar_to_the_filtered_asset_list(demo_stats: None, client, viewer) -> None:
    client.force_login(viewer)
    html = client.get("/").content.decode()
    assert "/assets/?highest_phase=phase1" in html
    assert "/assets/?pair=EGFR-ERBB3" in html
    assert "/assets/?payload_class=topo1" in html
    assert "/assets/?originator_country=CN" in html
    assert "/assets/?conjugation_method=site_glycan" in html
    assert "highest_phase=phase1&amp;conjugation_method=site_cysteine" in html


def test_it_shows_ild_points_with_their_sources_and_the_caveat(demo_stats: None, client, viewer) -> None:
    client.force_login(viewer)
    html = client.get("/").content.decode()
    assert "Cross-trial caveat" in html
    vcbeat = "https://www.vcbeat.top/news/adc-safety-site-specific-bispecific-prodrug-2025"
    assert html.count(f'<a href="{vcbeat}"><circle') == 3
    assert "68.43 %" in html and "T-DXd" in html


def test_it_shows_the_key_figures_and_latest_milestones(demo_stats: None, client, viewer) -> None:
    client.force_login(viewer)
    html = client.get("/").content.decode()
    assert re.search(r"20 %\s*</span>", html)
    assert "(1 of 5)" in html
    latest = html.split("Latest milestones")[1]
    assert latest.index("T-DXd") < latest.index("T-DM1")  # 2019 before 2013


def test_it_says_when_a_figure_is_stale_and_since_when(demo_stats: None, client, viewer) -> None:
    client.force_login(viewer)
    assert "Stale since" not in client.get("/").content.decode()
    since = timezone.now()
    StatisticGroup.objects.filter(group="target_pair").update(dirty=True, dirty_since=since)
    html = client.get("/").content.decode()
    assert 'id="stale-note"' in html
    chart = html.split('id="chart-target-pair"')[1].split("</figure>")[0]
    assert f"Stale since {timezone.localtime(since):%-d %b %Y %H:%M}" in chart


def test_it_says_not_computed_yet_before_the_first_run(demo_data: None, client, viewer) -> None:
    client.force_login(viewer)
    html = client.get("/").content.decode()
    assert "Not computed yet." in html and "No figures yet." in html


@pytest.mark.parametrize("extra", [0, 60])
def test_it_reads_a_bounded_number_of_queries(
    demo_data: None, client, viewer, extra: int, django_assert_max_num_queries
) -> None:
    originator = Company.objects.first()
    Asset.objects.bulk_create(
        [Asset(code=f"X{i}", slug=f"x{i}", originator=originator, conjugation_method="site_cysteine")
         for i in range(extra)]
    )
    recompute_all()
    client.force_login(viewer)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    assert response.status_code == 200
