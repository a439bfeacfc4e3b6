"""The quick "record a regulatory event" form: resolution, saving, derived facts and validation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from milestones.models import Milestone
from programs.models import Asset, AssetDesignation, Source
from tests.factories import AssetFactory, MilestoneFactory, SourceFactory

URL = "/milestones/quick/"


def _post(client, **fields):  # type: ignore[no-untyped-def]
    data = {"asset": "", "kind": "ind_cleared", "agency": "NMPA", "date": "2025-03-14", "status": "occurred",
            "phase": "", "indication": "", "trial_id": "", "source_url": "https://example.com/pr/1",
            "source_title": "Press release"}
    data.update(fields)
    return client.post(URL, data)


@pytest.mark.django_db
def test_it_records_an_event_by_alias_and_shows_it_on_the_asset_page(login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the new asset's first recompute, as on commit
        asset = AssetFactory(code="JS212")
        AssetDesignation.objects.create(asset=asset, name="js-212 alias", kind="alias")
    client = login("editor")
    assert reverse("milestones:quick_milestone") == URL
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, asset="JS 212 ALIAS")
    assert response.status_code == 302
    assert response["Location"] == asset.get_absolute_url()
    m = Milestone.objects.get(asset=asset)
    assert (m.kind, m.agency, m.date, m.source.title) == ("ind_cleared", "NMPA", dt.date(2025, 3, 14), "Press release")
    asset.refresh_from_db()
    assert asset.first_ind == {"NMPA": "2025-03-14"}
    assert asset.highest_phase == "ind"
    page = client.get(asset.get_absolute_url()).content.decode()
    assert "IND cleared / approved" in page and "14 Mar 2025" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "precision", "day"), [
    ("2025-03", "month", dt.date(2025, 3, 1)), ("Q2 2026", "quarter", dt.date(2026, 4, 1)),
    ("2026-H1", "half", dt.date(2026, 1, 1)), ("2026", "year", dt.date(2026, 1, 1)),
])
def test_it_accepts_dates_at_any_precision(login, typed, precision, day):
    asset = AssetFactory()
    _post(login("editor"), asset=asset.code, date=typed, status="planned")
    m = Milestone.objects.get(asset=asset)
    assert (m.date, m.date_precision, m.planned_date) == (day, precision, day)


@pytest.mark.django_db
def test_it_upserts_the_source_by_url(login):
    source = SourceFactory(url="https://example.com/pr/1")
    _post(login("editor"), asset=AssetFactory().code)
    assert Source.objects.filter(url="https://example.com/pr/1").count() == 1
    assert Milestone.objects.get().source == source


@pytest.mark.django_db
def test_it_creates_a_new_asset_inline_and_reads_her3_as_erbb3(login):
    # EGFR and ERBB3 (alias HER3) come with the reference targets migration.
    client = login("editor")
    response = _post(client, new_code="NEW-001", new_originator="Newco Bio", new_targets="EGFR; HER3")
    assert response.status_code == 302
    asset = Asset.objects.get(code="NEW-001")
    assert [at.target.symbol for at in asset.asset_targets.all()] == ["EGFR", "ERBB3"]
    assert asset.originator.name == "Newco Bio"
    assert AssetDesignation.objects.filter(asset=asset, normalized="new001").exists()
    follow = client.get(response["Location"])
    assert "means ERBB3" in follow.content.decode()


@pytest.mark.django_db
def test_it_refuses_an_unknown_target_beside_the_field(login):
    response = _post(login("editor"), new_code="NEW-002", new_originator="Newco", new_targets="ERBX")
    assert response.status_code == 200
    assert "ERBX" in str(response.context["form"].errors["new_targets"])
    assert not Asset.objects.filter(code="NEW-002").exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_asset_beside_the_field(login):
    response = _post(login("editor"), asset="NOPE-1")
    assert "No asset is known" in str(response.context["form"].errors["asset"])


@pytest.mark.django_db
def test_it_refuses_an_occurred_event_in_the_future(login):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = _post(login("editor"), asset=AssetFactory().code, date=future)
    assert "future" in str(response.context["form"].errors["date"])
    assert not Milestone.objects.exists()


@pytest.mark.django_db
def test_it_refuses_an_ind_cleared_before_it_was_submitted(login):
    asset = AssetFactory()
    MilestoneFactory(asset=asset, kind="ind_submitted", agency="NMPA", date=dt.date(2025, 5, 1))
    response = _post(login("editor"), asset=asset.code, date="2025-03-14")
    assert "submitted, then accepted, then cleared" in str(response.context["form"].errors["date"])


@pytest.mark.django_db
def test_it_links_to_the_existing_event_when_entered_twice(login):
    asset = AssetFactory()
    existing = MilestoneFactory(asset=asset, kind="ind_cleared", agency="NMPA", date=dt.date(2025, 3, 14))
    response = _post(login("editor"), asset=asset.code)
    html = response.content.decode()
    assert existing.get_absolute_url() in html and "already recorded" in html
    assert Milestone.objects.count() == 1


@pytest.mark.django_db
def test_it_refuses_a_malformed_source_url_and_a_bad_date(login):
    response = _post(login("editor"), asset=AssetFactory().code, source_url="not a url", date="March-ish")
    errors = response.context["form"].errors
    assert "source_url" in errors and "is not a date" in str(errors["date"])


@pytest.mark.django_db
def test_it_marks_a_planned_event_occurred_and_keeps_the_slip(login):
    m = MilestoneFactory(kind="phase_started", phase="phase1", status="planned", date=dt.date(2025, 1, 1),
                         date_precision="quarter", agency="")
    client = login("editor")
    url = reverse("milestones:quick_mark_occurred", args=[m.pk])
    response = client.post(url, {"date": "2025-05-10", "version": m.version})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.status, m.date, m.planned_date, m.planned_precision) == ("occurred", dt.date(2025, 5, 10),
                                                                       dt.date(2025, 1, 1), "quarter")
    assert m.slip_days == 40


@pytest.mark.django_db
def test_it_keeps_the_page_query_count_bounded(login, django_assert_max_num_queries):
    client = login("editor")
    for n in (2, 20):
        AssetFactory.create_batch(n)
        with django_assert_max_num_queries(12):
            assert client.get(URL).status_code == 200
