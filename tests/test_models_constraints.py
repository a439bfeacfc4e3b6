"""The database itself refuses bad data, whatever path it comes by (no forms involved)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from milestones.models import SafetyEvent
from programs.models import AssetDesignation, DealTerms
from tests.factories import AssetFactory, DealFactory, SafetyEventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _refused(fn) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_it_refuses_dar_zero() -> None:
    asset = AssetFactory()
    _refused(lambda: type(asset).objects.filter(pk=asset.pk).update(dar=Decimal(0)))


def test_it_refuses_dar_above_twenty() -> None:
    _refused(lambda: AssetFactory(dar=Decimal("20.5")))


def test_it_accepts_dar_twenty() -> None:
    assert AssetFactory(dar=Decimal("20")).dar == Decimal("20")


def test_it_refuses_incidence_above_100() -> None:
    _refused(lambda: SafetyEventFactory(incidence_percent=Decimal("120")))


def test_it_refuses_n_above_total() -> None:
    _refused(lambda: SafetyEventFactory(n=12, n_total=10, incidence_percent=None))


def test_it_keeps_not_assessed_apart_from_zero() -> None:
    event = SafetyEventFactory(assessment="not_assessed", incidence_percent=None)
    zero = SafetyEventFactory(incidence_percent=Decimal(0))
    assert event.figure == "not assessed"
    assert zero.figure == "0 %"
    _refused(lambda: SafetyEventFactory(assessment="not_assessed", incidence_percent=Decimal(0)))
    assert SafetyEvent.objects.count() == 2


def test_it_refuses_negative_amounts() -> None:
    deal = DealFactory()
    _refused(lambda: DealTerms.objects.create(deal=deal, source=SourceFactory(), upfront=Decimal("-1")))


def test_it_refuses_two_standing_terms_for_one_deal() -> None:
    deal = DealFactory()
    DealTerms.objects.create(deal=deal, source=SourceFactory(), total_value=Decimal(1))
    _refused(lambda: DealTerms.objects.create(deal=deal, source=SourceFactory(), total_value=Decimal(2)))


def test_it_refuses_a_duplicate_designation_whatever_its_punctuation() -> None:
    asset = AssetFactory(code="BL-B01D1")
    _refused(lambda: AssetDesignation.objects.create(asset=AssetFactory(), name="bl b01d1"))
    assert AssetDesignation.objects.filter(asset=asset).count() == 1
