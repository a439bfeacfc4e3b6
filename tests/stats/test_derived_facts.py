"""Per-asset derived facts added for the statistics: phase by agency and indication, overdue plans."""

from __future__ import annotations

import pytest

from programs.derivation.derived import recompute_asset
from programs.models import Asset

pytestmark = pytest.mark.django_db


def test_it_derives_phase_by_agency_and_overdue_planned_events(demo_data: None) -> None:
    neok = Asset.objects.get(code="NEOK002")
    # FDA IND clearance occurred; "Phase 1 planned Q2 2026" is planned, so not counted as reached.
    assert neok.phase_by_agency == {"FDA": "ind"}
    assert neok.highest_phase == "ind"
    bl = Asset.objects.get(code="BL-B01D1")
    assert bl.phase_by_agency == {}  # the Phase 3 start names no agency


def test_it_counts_a_planned_event_whose_period_has_passed_as_overdue(demo_data: None) -> None:
    from milestones.models import Milestone

    neok = Asset.objects.get(code="NEOK002")
    planned = Milestone.objects.get(asset=neok, status="planned")
    recompute_asset(neok.pk)
    neok.refresh_from_db()
    assert neok.overdue_planned == (1 if planned.is_overdue() else 0)
    Milestone.objects.filter(pk=planned.pk).update(date="2999-04-01")
    recompute_asset(neok.pk)
    neok.refresh_from_db()
    assert neok.overdue_planned == 0


def test_it_keys_phase_by_indication(demo_data: None) -> None:
    t = Asset.objects.get(code="T-DM1")
    assert list(t.phase_by_indication.values()) == ["approved"]
