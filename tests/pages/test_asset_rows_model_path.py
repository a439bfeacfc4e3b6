"""The asset page's fast rows (``programs.views.asset_rows``, read with ``.values()``) say what the
models say: for every asset of the demo data, each row is compared with the model instance's own
properties and display methods (the model path). A rule changed in a model property but not in the
row builder (or the other way round) fails here."""

from __future__ import annotations

import datetime as dt

import pytest

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from programs.models import Asset, Deal, Source
from programs.views import asset_rows

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)


@pytest.fixture
def assets(demo_data: None) -> list[Asset]:
    found = list(Asset.objects.order_by("pk"))
    assert len(found) >= 8  # the demo set, not an empty table that compares nothing
    return found


def test_milestone_rows_match_the_model(assets: list[Asset]) -> None:
    compared = 0
    for asset in assets:
        rows = {r.pk: r for r in asset_rows.milestone_rows(asset.pk, TODAY)}
        models = Milestone.objects.filter(asset=asset).select_related("source", "indication", "trial_record")
        assert set(rows) == {m.pk for m in models}
        for m in models:
            r = rows[m.pk]
            plan = m.planned_when
            assert (r.label, r.when, r.status_label, r.is_planned, r.slip, r.late, r.planned_when) == (
                m.label, m.when, m.get_status_display(), m.is_planned, m.slip_days, m.is_overdue(TODAY),
                str(plan) if plan else "")
            assert (r.url, r.source_url, r.source_label, r.indication, r.trial_id) == (
                m.get_absolute_url(), m.source.url, m.source.label, m.indication.name if m.indication else None,
                m.trial_id)
            assert bool(r.trial_url) == (m.trial_record_id is not None)
            compared += 1
    assert compared >= 8


def test_clinical_rows_match_the_model(assets: list[Asset]) -> None:
    compared = 0
    for asset in assets:
        safety = asset_rows.safety_rows(asset.pk)
        events = list(SafetyEvent.objects.filter(asset=asset).select_related("source"))
        assert sorted((r.term, r.figure, str(r.cutoff), r.category, r.grade_band, r.source_label) for r in safety) == (
            sorted((e.term, e.figure, str(e.cutoff), e.get_category_display(), e.get_grade_band_display(),
                    e.source.label) for e in events))
        efficacy = asset_rows.efficacy_rows(asset.pk)
        readouts = list(EfficacyReadout.objects.filter(asset=asset).select_related("source", "indication"))
        assert sorted((r.endpoint, r.figure, str(r.cutoff), r.line_of_therapy, r.indication, r.source_label)
                      for r in efficacy) == sorted(
            (e.get_endpoint_display(), e.figure, str(e.cutoff), e.get_line_of_therapy_display() if e.line_of_therapy
             else "", e.indication.name if e.indication else "", e.source.label) for e in readouts)
        measures = asset_rows.measure_rows(asset.pk)
        kept = list(SafetyMeasure.objects.filter(asset=asset).select_related("source"))
        assert sorted((r.name, r.value, str(r.cutoff), r.source_label) for r in measures) == sorted(
            (m.name, m.value, str(m.cutoff), m.source.label) for m in kept)
        compared += len(events) + len(readouts) + len(kept)
    assert compared >= 5


def test_source_and_deal_rows_match_the_model(assets: list[Asset]) -> None:
    deals_compared = 0
    for asset in assets:
        sources = asset_rows.source_rows(asset.pk)
        assert sorted((s.url, s.name, s.publisher, s.verified) for s in sources) == sorted(
            (s.url, str(s), s.publisher, s.verified) for s in Source.objects.filter(assets=asset))
        rows = {r.pk: r for r in asset_rows.deal_rows(asset.pk)}
        deals = Deal.objects.filter(assets=asset).prefetch_related("terms__source")
        assert set(rows) == {d.pk for d in deals}
        for deal in deals:
            r = rows[deal.pk]
            assert (r.title, r.kind, r.announced, r.url) == (
                deal.title, deal.get_kind_display(), deal.announced, deal.get_absolute_url())
            assert [(t.upfront, t.total_value, t.currency, t.source_label) for t in r.terms] == [
                (t.upfront, t.total_value, t.currency, t.source.label) for t in deal.terms.all()]
            deals_compared += 1
    assert deals_compared >= 3
