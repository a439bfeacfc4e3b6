"""programs.readpath.prepared: a statement compiled once returns what the queryset itself returns."""

from __future__ import annotations

import pytest

from milestones.models import Milestone
from programs.models import Asset
from programs.readpath.prepared import Prepared

pytestmark = pytest.mark.django_db


def test_it_returns_the_querysets_rows_for_each_parameter(generated: int) -> None:
    def build(asset_id: int, kind: str):  # type: ignore[no-untyped-def]
        # Dates (text on SQLite until converted) and joined columns come back as values_list gives them.
        return Milestone.objects.filter(asset_id=asset_id).exclude(kind=kind).order_by("date", "pk").values_list(
            "pk", "date", "status", "source__url", "indication__name")

    prepared = Prepared(build, int, str)
    for asset_id in Asset.objects.values_list("pk", flat=True)[:5]:
        assert prepared.rows(asset_id, "approval") == list(build(asset_id, "approval"))
    assert prepared.rows(-1, "x") == []
