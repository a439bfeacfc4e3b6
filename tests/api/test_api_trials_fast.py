"""The trials API's plain-dict path (``milestones.api.trial_nested``) prints DRF's own output, byte for byte."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from milestones.api.trial_nested import attach
from milestones.api.trials import TrialSerializer
from milestones.models import Trial, TrialArm, TrialIntervention
from milestones.readpath.trial_queries import trial_full_queryset
from tests.factories import AssetFactory, CompanyFactory
from tests.trials_data import make_trial

pytestmark = pytest.mark.django_db


def _varied_trials() -> list[int]:
    """Trials with every kind of nested part, and without each of them."""
    asset, partner_asset = AssetFactory(code="ADC-FAST1"), AssetFactory(code="ADC-FAST2")
    full = make_trial(asset, arms=3, ids=3, acronym="FULL")
    # A second tracked asset in an arm (an intervention with an asset that is not the first), an arm
    # without interventions, completion dates, a sync time, a description, collaborators out of name order.
    full.assets.add(partner_asset)
    TrialIntervention.objects.create(arm=full.arms.first(), name="ADC-FAST2", role="partner", asset=partner_asset)
    TrialArm.objects.create(trial=full, label="Observation", arm_type="", description="No treatment; follow-up.")
    full.collaborators.add(CompanyFactory(name="Aaa First Co"), CompanyFactory(name="Zzz Last Co"))
    Trial.objects.filter(pk=full.pk).update(
        completion_date=dt.date(2027, 1, 1),
        completion_precision="year",
        completion_type="ESTIMATED",
        synced_at=timezone.now(),
        why_stopped="",
        countries=[],
    )
    bare = make_trial(arms=0, ids=1, phases=[], status="WITHDRAWN")
    # No registry id, sponsor, source, conditions, collaborators or assets.
    bare.registry_ids.all().delete()
    Trial.objects.filter(pk=bare.pk).update(
        lead_sponsor=None,
        source=None,
        enrollment=None,
        start_date=None,
        start_precision="unknown",
        start_type="",
        primary_completion_date=None,
    )
    bare.conditions.clear()
    bare.collaborators.clear()
    bare.assets.clear()
    one = make_trial(arms=1, ids=1, phases=["NA"])
    return [full.pk, bare.pk, one.pk]


def _drf(trial: Trial) -> dict[str, Any]:
    """DRF's own representation: nested serializers over prefetched model instances."""
    return serializers.ModelSerializer.to_representation(TrialSerializer(), trial)  # type: ignore[no-any-return]


def test_the_fast_representation_is_drfs(django_assert_num_queries: Any) -> None:
    pks = _varied_trials()
    reference = [_drf(t) for t in trial_full_queryset().filter(pk__in=pks).order_by("id")]
    trials = list(Trial.objects.select_related("lead_sponsor", "source").filter(pk__in=pks).order_by("id"))
    with django_assert_num_queries(5):  # registry ids, collaborators, conditions, assets, arms + interventions
        attach(trials)
    fast = TrialSerializer(trials, many=True).data
    # Byte for byte, so key order and types count too, not only equal values.
    assert JSONRenderer().render(fast) == JSONRenderer().render(reference)
    full, bare, _ = fast
    # The comparison covered what it should: several arms, an empty arm, an asset-less intervention, nulls.
    assert len(full["arms"]) == 4 and full["arms"][-1]["interventions"] == [] and full["arms"][-1]["regimen"] == ""
    assert full["arms"][0]["regimen"] == "ADC-FAST1 + pembrolizumab + ADC-FAST2"
    assert {i["asset"] for a in full["arms"] for i in a["interventions"]} == {"ADC-FAST1", "ADC-FAST2", None}
    assert len(full["registry_ids"]) == 3 and len(full["assets"]) == 2 and full["synced_at"]
    assert [c["name"] for c in full["collaborators"]][0] == "Aaa First Co"
    assert bare["lead_sponsor"] is None and bare["source"] is None and bare["arms"] == bare["registry_ids"] == []
    assert bare["start_date"] is None and bare["enrollment"] is None


def test_the_list_and_the_detail_serve_it(client_for: Callable[[str | None], APIClient]) -> None:
    pks = _varied_trials()
    reference = {t.pk: _drf(t) for t in trial_full_queryset().filter(pk__in=pks)}
    client = client_for("viewer")
    listed = client.get("/api/v1/trials/?page_size=100").json()["results"]
    assert {t["id"]: t for t in listed} == reference
    for pk in pks:
        assert client.get(f"/api/v1/trials/{pk}/").json() == reference[pk]


def test_an_empty_page_asks_nothing(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        attach([])
