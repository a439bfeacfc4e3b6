"""A new name for an asset reaches its search text through the signals, whatever path saved it."""

from __future__ import annotations

import pytest

from programs.models import Asset, AssetDesignation
from tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def test_it_recomputes_search_text_when_a_designation_is_added(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        asset = AssetFactory(code="XYZ-001")
    with django_capture_on_commit_callbacks(execute=True):
        AssetDesignation.objects.create(asset=asset, name="zanolimab vedotin", kind="inn")
    assert "zanolimab vedotin" in Asset.objects.get(pk=asset.pk).search_text
