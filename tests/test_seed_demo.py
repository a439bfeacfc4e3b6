"""seed_demo loads the seed texts' world, idempotently and all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from milestones.models import EfficacyReadout, Milestone, SafetyEvent, SafetyMeasure
from programs.models import Asset, Company, Deal, DealTerms, Source

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"programs", "milestones"}
    }


def test_it_is_idempotent(demo_data: None) -> None:
    before = _counts()
    history_before = Asset.history.count()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert Asset.history.count() == history_before
    assert before["programs.Asset"] == 8


def test_it_loads_neok002(demo_data: None) -> None:
    neok = Asset.objects.get(code="NEOK002")
    assert [at.target.symbol for at in neok.asset_targets.order_by("position")] == ["EGFR", "MUC1"]
    assert neok.originator.name == "Biocytogen"
    deal = Deal.objects.get(assets=neok, kind="licence")
    assert deal.announced.display() == "2024"
    roles = {(p.company.name, p.role) for p in deal.deal_parties.all()}
    assert roles == {("Biocytogen", "licensor"), ("NEOK Bio", "licensee")}
    ind = Milestone.objects.get(asset=neok, kind="ind_cleared")
    assert (ind.agency, ind.status) == ("FDA", "occurred")
    phase1 = Milestone.objects.get(asset=neok, kind="phase_started")
    assert (phase1.phase, phase1.status, phase1.date_precision) == ("phase1", "planned", "quarter")
    assert phase1.when.display() == "Q2 2026"
    assert neok.target_pair is not None and neok.target_pair.label == "EGFR x MUC1"


def test_it_loads_js212_with_nmpa_approval_and_cdmo(demo_data: None) -> None:
    js212 = Asset.objects.get(code="JS212")
    assert Milestone.objects.filter(asset=js212, kind="ind_cleared", agency="NMPA", status="occurred").exists()
    deal = Deal.objects.get(assets=js212)
    assert deal.deal_parties.get(role="service_provider").company.name == "BioDlink"
    assert deal.kind == "cdmo"


def test_it_keeps_bl_b01d1_ild_and_both_deal_values(demo_data: None) -> None:
    bl = Asset.objects.get(code="BL-B01D1")
    assert set(bl.designations.values_list("name", flat=True)) >= {"BL-B01D1", "izalontamab brengitecan", "iza-bren"}
    ild = SafetyEvent.objects.get(asset=bl, category="ild")
    assert ild.incidence_percent == Decimal("0.6")
    assert (ild.grade_band, ild.max_grade) == ("any", 1)
    terms = DealTerms.objects.filter(deal__assets=bl).select_related("source")
    values = {(t.total_value, t.stands, t.source.publisher) for t in terms}
    assert values == {
        (Decimal("8400"), True, "Bristol Myers Squibb"),
        (Decimal("84000"), False, "VCBeat"),
    }
    bms = DealTerms.objects.get(deal__assets=bl, stands=True)
    assert bms.upfront == Decimal("800")
    assert bl.highest_phase == "phase3"


def test_it_loads_the_other_programmes(demo_data: None) -> None:
    jskn = Asset.objects.get(code="JSKN021")
    assert jskn.asset_payloads.count() == 2 and jskn.conjugation_method == "site_glycan"
    accepted = Milestone.objects.get(asset=jskn, kind="ind_accepted")
    assert (accepted.agency, accepted.when.display()) == ("NMPA", "Mar 2025")
    ba = Asset.objects.get(code="BA1301")
    assert ba.conjugation_technology == "C-Lock"
    assert [t.symbol for t in ba.targets.all()] == ["CLDN18.2"]
    assert SafetyMeasure.objects.get(asset=ba).value == Decimal("0.002")
    varseta = Asset.objects.get(code="Varseta-M")
    assert varseta.masked
    figures = {r.endpoint: r.value for r in EfficacyReadout.objects.filter(asset=varseta)}
    assert figures == {"orr": Decimal("32"), "dcr": Decimal("88"), "mpfs": Decimal("7.1")}
    assert SafetyEvent.objects.get(asset__code="T-DXd", category="ild").incidence_percent == Decimal("68.43")
    assert SafetyEvent.objects.get(asset__code="T-DM1", category="ild").incidence_percent == Decimal("9.49")
    assert Deal.objects.filter(platform__name="SAFEbody", deal_parties__company__name="Exelixis").exists()
    for name in ["GlycanLink", "ChemPartner", "ICE Bioscience", "Daiichi Sankyo", "Astellas", "Innovent Biologics",
                 "AbbVie"]:
        assert Company.objects.filter(name=name).exists(), name


def test_it_cites_a_source_for_every_fact(demo_data: None) -> None:
    for model in (Milestone, SafetyEvent, SafetyMeasure, EfficacyReadout, Deal, DealTerms):
        assert not model.objects.filter(source__isnull=True).exists()
    assert not Asset.objects.filter(sources__isnull=True).exists()
    assert Source.objects.count() >= 4


def test_it_stops_on_conflicting_data_and_writes_nothing(db: None) -> None:
    company = Company.objects.create(name="Biocytogen", slug="biocytogen", kind="cro", country="CN")
    before = _counts()
    with pytest.raises(CommandError, match=r"Company .*Biocytogen.* kind='cro'"):
        call_command("seed_demo", verbosity=0)
    assert _counts() == before
    company.refresh_from_db()
    assert company.kind == "cro"


def test_every_reference_alias_is_a_real_alias(db) -> None:  # type: ignore[no-untyped-def]
    """A one-name tuple written without its comma (``("CA125")``) is a string: its letters became aliases."""
    from programs.models import TargetAlias
    from programs.reference_targets import REFERENCE_TARGETS

    for ref in REFERENCE_TARGETS:
        assert isinstance(ref.aliases, tuple) and all(isinstance(a, str) and len(a) > 1 for a in ref.aliases), ref
    assert not TargetAlias.objects.filter(name__regex=r"^.$").exists()
    assert TargetAlias.objects.filter(target__symbol="MUC16", name="CA125").exists()
