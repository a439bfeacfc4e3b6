"""The asset page: structure, timeline at its precision, deals, sources, history; 404 and query bounds."""

from __future__ import annotations

from html import escape

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Asset

pytestmark = pytest.mark.django_db


def test_it_shows_neok002_with_its_partners_and_planned_quarter(viewer_client: Client, demo_data: None) -> None:
    html = viewer_client.get(reverse("programs:asset_detail", args=["neok002"])).content.decode()
    for text in ("EGFR", "MUC1", "Biocytogen", "NEOK Bio", "IND cleared / approved · FDA", "Q2 2026",
                 "date not stated", "planned"):
        assert text in html, text
    assert 'href="/companies/biocytogen/"' in html and 'href="/targets/egfr/"' in html


def test_it_shows_standing_and_disputed_deal_figures_with_sources(viewer_client: Client, demo_data: None) -> None:
    html = viewer_client.get(reverse("programs:asset_detail", args=["bl-b01d1"])).content.decode()
    assert "Standing figure" in html and "Also reported" in html
    assert "8,400 M USD" in html and "84,000 M USD" in html
    assert "https://news.bms.com/" in html


def test_it_tells_not_assessed_apart_from_zero(viewer_client: Client, demo_data: None) -> None:
    from milestones.models import SafetyEvent
    from milestones.vocab import Assessment

    asset = Asset.objects.get(code="BL-B01D1")
    source = asset.sources.first() or SafetyEvent.objects.first().source
    SafetyEvent.objects.create(asset=asset, source=source, category="ocular", term="keratitis",
                               assessment=Assessment.NOT_ASSESSED)
    html = viewer_client.get(asset.get_absolute_url()).content.decode()
    assert "not assessed" in html


def test_it_lists_the_change_history(viewer_client: Client, demo_data: None) -> None:
    """Who changed what, newest first: the asset's own rows and its children's, with the editors' names."""
    from django.contrib.auth import get_user_model

    from milestones.models import Milestone

    alice = get_user_model().objects.create_user("alice-editor")
    bob = get_user_model().objects.create_user("bob-editor")
    asset = Asset.objects.get(code="NEOK002")
    asset.description = "Edited for the history test."
    asset._history_user = alice  # type: ignore[attr-defined]  # what simple_history's middleware sets
    asset.save()
    milestone = Milestone.objects.filter(asset=asset).order_by("pk").first()
    assert milestone is not None
    milestone.notes = "A note for the history test."
    milestone._history_user = bob  # type: ignore[attr-defined]
    milestone.save()
    html = viewer_client.get(asset.get_absolute_url()).content.decode()
    history = html[html.index('id="history"'):]
    rows = history.split("<tr>")[2:]  # after the header row
    label = escape(milestone.label)  # "IND cleared / approved · FDA", not the stored kind
    assert f"<td>bob-editor</td><td>milestone: {label}</td><td>changed</td><td>notes</td>" in rows[0]
    assert "<td>alice-editor</td><td>asset: NEOK002</td><td>changed</td><td>description" in rows[1]
    assert "<td>created</td>" in history and "Edited for the history test." in html


def test_it_names_the_targets_and_payloads_of_arm_changes(viewer_client: Client, demo_data: None) -> None:
    from programs.models import AssetPayload, AssetTarget

    asset = Asset.objects.get(code="BL-B01D1")
    arm = AssetTarget.objects.select_related("target").filter(asset=asset).order_by("position").first()
    link = AssetPayload.objects.select_related("payload").filter(asset=asset).order_by("position").first()
    assert arm is not None and link is not None
    arm.save()
    link.save()
    html = viewer_client.get(asset.get_absolute_url()).content.decode()
    history = html[html.index('id="history"'):]
    assert f"arm {arm.position}: {arm.target.symbol}</td>" in history
    assert f"payload {link.position}: {escape(link.payload.name)}</td>" in history
    assert "target #" not in history and "payload #" not in history


def test_it_shows_the_edit_actions_by_role(demo_data: None) -> None:
    """Record/edit/delete links and the timeline's Edit column follow the reader's permissions."""
    from django.contrib.auth import get_user_model

    from programs.roles import EDITOR, VIEWER, ensure_roles

    groups = ensure_roles()
    url = reverse("programs:asset_detail", args=["neok002"])
    pages = {}
    for role in (VIEWER, EDITOR):
        user = get_user_model().objects.create_user(f"page-{role}")
        user.groups.add(groups[role])
        client = Client()
        client.force_login(user)
        pages[role] = client.get(url).content.decode()
    asset = Asset.objects.get(code="NEOK002")
    for text in ("Record event", "Edit asset", "Add safety event", "Mark occurred",
                 reverse("programs:asset_edit", args=[asset.pk])):
        assert text in pages[EDITOR] and text not in pages[VIEWER], text
    assert reverse("programs:asset_history", args=[asset.pk]) in pages[VIEWER]


def test_it_answers_404_for_an_unknown_slug(viewer_client: Client, demo_data: None) -> None:
    assert viewer_client.get("/assets/no-such-asset/").status_code == 404
    assert viewer_client.get("/companies/no-such-company/").status_code == 404
    assert viewer_client.get("/targets/no-such-target/").status_code == 404


def test_it_runs_a_bounded_number_of_queries(
    viewer_client: Client, generated: int, django_assert_max_num_queries  # type: ignore[no-untyped-def]
) -> None:
    busiest = Asset.objects.order_by("-highest_phase_rank", "code").first()
    assert busiest is not None
    # Session, user, two permission reads; then on PostgreSQL the asset (its targets, payloads, names
    # and pair folded in), milestones, deals (parties and terms folded in), pair ids and related
    # assets, the regulatory status rows, the trials (their registry ids joined), three clinical tables,
    # sources and one for all the history: 16 at most, whatever the number of rows. Elsewhere targets,
    # payloads, names, pair, parties and terms are one query each: 22.
    from django.db import connection

    with django_assert_max_num_queries(16 if connection.vendor == "postgresql" else 22):
        assert viewer_client.get(busiest.get_absolute_url()).status_code == 200


def test_it_shows_the_first_ind_at_its_recorded_precision(viewer_client: Client, demo_data: None) -> None:
    """"FDA: Q3 2025" as the milestone was recorded, not the derived ISO date "2025-07-01"; a date no
    milestone backs (derived facts not yet recomputed) reads as a day, an undated one says so."""
    import datetime as dt

    from milestones.models import Milestone
    from programs.derivation.derived import recompute_asset
    from programs.readpath import data_version

    asset = Asset.objects.get(code="NEOK002")
    source = Milestone.objects.filter(asset=asset).first().source  # type: ignore[union-attr]
    Milestone.objects.filter(asset=asset, kind="ind_cleared").delete()
    Milestone.objects.create(asset=asset, kind="ind_cleared", agency="FDA", status="occurred",
                             date=dt.date(2025, 7, 1), date_precision="quarter", source=source)
    Milestone.objects.create(asset=asset, kind="cta_approved", agency="NMPA", status="occurred",
                             date=None, date_precision="unknown", source=source)
    recompute_asset(asset.pk)
    asset.refresh_from_db()
    assert asset.first_ind == {"FDA": "2025-07-01", "NMPA": None}
    url = reverse("programs:asset_detail", args=["neok002"])
    html = viewer_client.get(url).content.decode()
    assert "<dt>First IND</dt><dd>FDA: Q3 2025; NMPA: date not stated</dd>" in html

    Asset.objects.filter(pk=asset.pk).update(first_ind={"EMA": "2025-11-01"})  # no EMA milestone
    data_version.bump()  # a queryset update sends no signal: move the cached page on by hand
    html = viewer_client.get(url).content.decode()
    assert "<dt>First IND</dt><dd>EMA: 1 Nov 2025</dd>" in html
