"""Trial pages (/trials/, /trials/<id>/) and the Trials section of the asset page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from milestones.models import Trial
from tests.factories import AssetFactory
from tests.trials_data import make_trial


def test_the_trial_page_shows_the_record(viewer_client: Client, db: None) -> None:
    asset = AssetFactory(code="ADC-PAGE1")
    trial = make_trial(asset, status="TERMINATED", acronym="EXAMPLE-01")
    Trial.objects.filter(pk=trial.pk).update(why_stopped="Sponsor decision")
    html = viewer_client.get(reverse("milestones:trial_detail", args=[trial.pk])).content.decode()
    ids = [r.value for r in trial.registry_ids.all()]
    for text in (
        *ids,
        "EXAMPLE-01",
        trial.title,
        "Phase 2 / Phase 3",
        "Interventional",
        "Terminated",
        "why stopped: Sponsor decision",
        "China; United States",
        "300 participants (anticipated)",
        "May 2024 (actual)",
        "Jun 2026 (estimated)",
        "pembrolizumab",
        "(combination partner)",
        "docetaxel",
        "(comparator)",
        "(this asset)",
        trial.source.url,
        "Phase 2/3",
    ):
        assert text in html, text
    assert trial.lead_sponsor.get_absolute_url() in html
    for company in trial.collaborators.all():
        assert company.get_absolute_url() in html
    for condition in trial.conditions.all():
        assert condition.name in html
    assert asset.get_absolute_url() in html
    assert trial.milestones.get().get_absolute_url() in html


def test_the_trial_page_says_what_is_not_stated(viewer_client: Client, db: None) -> None:
    trial = Trial.objects.create(title="Bare", phases=[], study_type="OBSERVATIONAL")
    html = viewer_client.get(reverse("milestones:trial_detail", args=[trial.pk])).content.decode()
    assert "Observational" in html and "No arms recorded." in html and "none recorded" in html
    assert viewer_client.get(reverse("milestones:trial_detail", args=[trial.pk + 999])).status_code == 404


def test_the_trial_pages_need_an_account(client: Client, db: None) -> None:
    trial = make_trial()
    for url in (reverse("milestones:trial_detail", args=[trial.pk]), reverse("milestones:trial_list")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("arms", [1, 8])
def test_the_trial_page_runs_a_bounded_number_of_queries(
    viewer_client: Client, db: None, django_assert_max_num_queries: Any, arms: int
) -> None:
    trial = make_trial(arms=arms, ids=3 if arms > 1 else 1)
    for _ in range(arms - 1):
        trial.assets.add(AssetFactory())
    # session, user, the trial (sponsor and source joined), ids, assets, collaborators, conditions, arms,
    # interventions, phase starts, and the two permission reads of the menu: 12
    with django_assert_max_num_queries(12):
        response = viewer_client.get(reverse("milestones:trial_detail", args=[trial.pk]))
    assert response.status_code == 200 and response.content.decode().count("Arm ") >= arms


@pytest.mark.parametrize("size", [2, 20])
def test_the_trial_list_filters_and_stays_bounded(
    viewer_client: Client, db: None, django_assert_max_num_queries: Any, size: int
) -> None:
    for i in range(size):
        make_trial(status="COMPLETED" if i % 2 else "RECRUITING", phases=["PHASE1"] if i % 2 else ["PHASE3"])
    # session, user, count, the page, its registry ids and assets, the menu's two permission reads: 8
    with django_assert_max_num_queries(8):
        html = viewer_client.get(reverse("milestones:trial_list")).content.decode()
    assert f"<p>{size} trials.</p>" in html
    html = viewer_client.get(reverse("milestones:trial_list") + "?status=COMPLETED&phase=PHASE1").content.decode()
    assert f"<p>{size // 2} trial{'s' if size // 2 != 1 else ''}.</p>" in html


def test_the_trial_list_filters_by_asset_and_sponsor(viewer_client: Client, db: None) -> None:
    asset = AssetFactory(code="ADC-LIST9")
    mine = make_trial(asset, sponsor_slug="acme-bio")
    other = make_trial()
    url = reverse("milestones:trial_list")
    for query in ("asset=adc-list9", "asset=ADC LIST9", f"asset={asset.pk}", "sponsor=acme-bio"):
        html = viewer_client.get(f"{url}?{query}").content.decode()
        assert mine.get_absolute_url() in html and other.get_absolute_url() not in html, query
    collaborator = other.collaborators.first()
    html = viewer_client.get(f"{url}?sponsor={collaborator.slug}").content.decode()
    assert other.get_absolute_url() in html and mine.get_absolute_url() not in html
    html = viewer_client.get(f"{url}?phase=PHASE9").content.decode()
    assert "0 trials" in html and "PHASE9" in html  # the bad choice is reported beside the field


def test_the_asset_page_lists_its_trials(viewer_client: Client, db: None) -> None:
    asset = AssetFactory(code="ADC-SECT1")
    first = make_trial(asset, acronym="FIRSTTRIAL")
    second = make_trial(asset, acronym="", phases=["PHASE1"], status="COMPLETED")
    Trial.objects.filter(pk=second.pk).update(acronym="")
    make_trial()  # another asset's trial is not listed
    html = viewer_client.get(asset.get_absolute_url()).content.decode()
    section = html.split('id="trials"')[1].split("</section>")[0]
    assert reverse("milestones:trial_detail", args=[first.pk]) in section
    assert reverse("milestones:trial_detail", args=[second.pk]) in section
    assert "FIRSTTRIAL" in section and second.registry_ids.order_by("registry", "value").first().value in section
    assert "Phase 2 / Phase 3" in section and "Recruiting" in section and "Jun 2026 (estimated)" in section
    assert "Completed" in section and section.count("<tr><td>") == 2


def test_an_asset_without_trials_says_so(viewer_client: Client, db: None) -> None:
    asset = AssetFactory()
    assert "No trial records linked." in viewer_client.get(asset.get_absolute_url()).content.decode()


def test_the_timeline_links_a_phase_start_to_its_trial(viewer_client: Client, db: None) -> None:
    asset = AssetFactory(code="ADC-TLINK")
    trial = make_trial(asset)  # with a phase start linked to it
    html = viewer_client.get(asset.get_absolute_url()).content.decode()
    timeline = html.split("Development timeline")[1].split("</table>")[0]
    assert f'href="{reverse("milestones:trial_detail", args=[trial.pk])}"' in timeline
