"""Typed factory_boy factories for every model the tests build."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from milestones.models import EfficacyReadout, Milestone, SafetyEvent
from milestones.vocab import MilestoneKind, MilestoneStatus, SafetyCategory
from programs.models import (
    Asset,
    AssetDesignation,
    AssetPayload,
    AssetTarget,
    Company,
    Deal,
    DealParty,
    DealTerms,
    Payload,
    Source,
    Target,
)
from programs.text import slugify_code
from programs.vocab import DealKind, DealRole, PayloadClass


class UserFactory(factory.django.DjangoModelFactory[object]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct-horse-battery")


class SourceFactory(factory.django.DjangoModelFactory[Source]):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.com/story-{n}")
    title = factory.Sequence(lambda n: f"Story {n}")
    publisher = "Example News"
    published_on = dt.date(2025, 3, 1)


class CompanyFactory(factory.django.DjangoModelFactory[Company]):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.LazyAttribute(lambda o: slugify_code(o.name))
    country = "CN"


class TargetFactory(factory.django.DjangoModelFactory[Target]):
    class Meta:
        model = Target
        django_get_or_create = ["symbol"]

    symbol = factory.Sequence(lambda n: f"TGT{n}")
    name = factory.LazyAttribute(lambda o: f"{o.symbol} protein")
    slug = factory.LazyAttribute(lambda o: slugify_code(o.symbol))


class PayloadFactory(factory.django.DjangoModelFactory[Payload]):
    class Meta:
        model = Payload
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Payload-{n}")
    payload_class = PayloadClass.TOPO1


class AssetFactory(factory.django.DjangoModelFactory[Asset]):
    class Meta:
        model = Asset
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ADC-{n:05d}")
    slug = factory.LazyAttribute(lambda o: slugify_code(o.code))
    originator = factory.SubFactory(CompanyFactory)
    dar = Decimal("4")

    @factory.post_generation
    def designation(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            AssetDesignation.objects.create(asset=self, name=self.code, kind="code")


class AssetTargetFactory(factory.django.DjangoModelFactory[AssetTarget]):
    class Meta:
        model = AssetTarget

    asset = factory.SubFactory(AssetFactory)
    target = factory.SubFactory(TargetFactory)
    position = 1


class AssetPayloadFactory(factory.django.DjangoModelFactory[AssetPayload]):
    class Meta:
        model = AssetPayload

    asset = factory.SubFactory(AssetFactory)
    payload = factory.SubFactory(PayloadFactory)


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    asset = factory.SubFactory(AssetFactory)
    kind = MilestoneKind.IND_CLEARED
    agency = "FDA"
    status = MilestoneStatus.OCCURRED
    date = dt.date(2025, 3, 14)
    date_precision = "day"
    source = factory.SubFactory(SourceFactory)


class SafetyEventFactory(factory.django.DjangoModelFactory[SafetyEvent]):
    class Meta:
        model = SafetyEvent

    asset = factory.SubFactory(AssetFactory)
    category = SafetyCategory.ILD
    term = "interstitial lung disease"
    incidence_percent = Decimal("1.5")
    source = factory.SubFactory(SourceFactory)


class EfficacyReadoutFactory(factory.django.DjangoModelFactory[EfficacyReadout]):
    class Meta:
        model = EfficacyReadout

    asset = factory.SubFactory(AssetFactory)
    endpoint = "orr"
    value = Decimal("30")
    unit = "percent"
    source = factory.SubFactory(SourceFactory)


class DealFactory(factory.django.DjangoModelFactory[Deal]):
    class Meta:
        model = Deal

    title = factory.Sequence(lambda n: f"Deal {n}")
    kind = DealKind.LICENCE
    announced_on = dt.date(2024, 1, 1)
    announced_precision = "year"
    source = factory.SubFactory(SourceFactory)


class DealPartyFactory(factory.django.DjangoModelFactory[DealParty]):
    class Meta:
        model = DealParty

    deal = factory.SubFactory(DealFactory)
    company = factory.SubFactory(CompanyFactory)
    role = DealRole.LICENSOR


class DealTermsFactory(factory.django.DjangoModelFactory[DealTerms]):
    class Meta:
        model = DealTerms

    deal = factory.SubFactory(DealFactory)
    source = factory.SubFactory(SourceFactory)
    upfront = Decimal("100")
    total_value = Decimal("1000")
