"""The asset serializer's fast representation gives DRF's own output, field for field."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from programs.api.nested import attach
from programs.api.serializers import AssetSerializer
from programs.api.views import asset_queryset

pytestmark = pytest.mark.django_db


def test_it_represents_every_demo_asset_as_drf_does(demo_data: None) -> None:
    assets = list(asset_queryset().order_by("code"))
    attach(assets)
    assert len(assets) > 5
    fast = AssetSerializer(assets, many=True).data
    child = AssetSerializer()
    drf = [serializers.ModelSerializer.to_representation(child, a) for a in assets]
    assert [dict(row) for row in fast] == [dict(row) for row in drf]
    # The demo exercises the plain and the general paths: nulls, decimals, dates, JSON, relations.
    assert {type(v) for row in fast for v in row.values()} >= {str, int, bool, type(None), list, dict}
