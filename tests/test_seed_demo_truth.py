"""The demo set says what its sources say, and ``seed_demo`` corrects a database an older, wrong set wrote.

Each test names the source sentence it checks. The last ones load the old version's values (written
the way the old loader wrote them: version 1, no edit since) and run ``seed_demo`` again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from milestones.models import SafetyEvent
from programs.demo import data
from programs.models import (
    Asset,
    AssetDesignation,
    Company,
    CompanyAlias,
    Deal,
    DealParty,
    DealTerms,
    Indication,
    Source,
)

pytestmark = pytest.mark.django_db

BMS_DEAL = "Biokin/SystImmune and Bristol Myers Squibb global collaboration on BL-B01D1"


def _bms_deal() -> Deal:
    return Deal.objects.get(title=BMS_DEAL)


@pytest.fixture
def reader(client: Client, django_user_model: Any) -> Client:
    """A signed-in viewer: reading needs an account."""
    client.force_login(django_user_model.objects.create_user("reader", password="long-enough-password"))
    return client


def test_bms_is_one_party_with_the_roles_its_release_states(demo_data: None, reader: Client) -> None:
    deal = _bms_deal()
    roles = set(
        DealParty.objects.filter(deal=deal, company__name="Bristol Myers Squibb").values_list("role", flat=True)
    )
    assert roles == {"licensee", "co_developer"}  # exclusive licence ex-US/China; co-develops in the US
    page = reader.get(reverse("programs:deal_detail", args=[deal.pk])).content.decode()
    parties = page.split("<h2>Parties</h2>", 1)[1].split("</section>", 1)[0]
    assert parties.count("Bristol Myers Squibb") == 1
    assert "Co-developer, Licensee" in parties
    asset_page = reader.get(reverse("programs:asset_detail", args=["bl-b01d1"])).content.decode()
    deals = asset_page.split('id="deals"', 1)[1].split("</section>", 1)[0]
    party = '>Bristol Myers Squibb</a> <span class="muted">('  # a party link (the terms cite BMS as publisher)
    assert deals.count(party) == 1 and party + "co-developer, licensee)" in deals


def test_the_bms_deal_keeps_the_day_its_release_gives(demo_data: None) -> None:
    deal = _bms_deal()
    assert (deal.announced_on, deal.announced_precision) == (dt.date(2023, 12, 11), "day")
    assert deal.announced.display() != "Dec 2023"


def test_the_standing_terms_add_up_with_the_near_term_payment_in_its_own_field(demo_data: None) -> None:
    bms = DealTerms.objects.get(deal__title=BMS_DEAL, stands=True)
    assert (bms.upfront, bms.near_term, bms.milestones) == (Decimal("800"), Decimal("500"), Decimal("7100"))
    assert bms.upfront + bms.near_term + bms.milestones == bms.total_value == Decimal("8400")
    assert "US$500M contingent near-term payment" in bms.note
    for terms in DealTerms.objects.exclude(upfront=None).exclude(milestones=None).exclude(total_value=None):
        if terms.upfront + (terms.near_term or 0) + terms.milestones != terms.total_value:
            assert terms.note, terms


def test_js212_has_no_indication_the_text_does_not_state(demo_data: None) -> None:
    """MedPath: EGFR and HER3 "are highly expressed across multiple tumor types, including lung cancer, ...";
    JS212's "potential target indications ... have not yet been disclosed"."""
    assert not Asset.objects.get(code="JS212").indications.exists()


def test_roche_is_not_a_name_of_genentech(demo_data: None) -> None:
    genentech = Company.objects.get(name="Genentech")
    assert not genentech.aliases.filter(name__iexact="Roche").exists()
    assert not CompanyAlias.objects.filter(name__iexact="Roche").exists()


def test_ba1301_has_one_haematological_figure_as_quoted(demo_data: None) -> None:
    """VCBeat: "hematological (anemia and neutropenia incidence rate was only 1.7%)": one figure."""
    events = SafetyEvent.objects.filter(asset__code="BA1301", category="hematological")
    assert [(e.term, e.incidence_percent) for e in events] == [("anemia and neutropenia", Decimal("1.7"))]


def test_varseta_m_carries_cx_2051_and_epcam(demo_data: None) -> None:
    varseta = Asset.objects.get(code="Varseta-M")
    assert varseta.designations.filter(name="CX-2051").exists()
    assert [t.symbol for t in varseta.targets.all()] == ["EPCAM"]
    assert varseta.sources.filter(publisher="CytomX Therapeutics").exists()


def test_neok002_is_not_tied_to_a_platform_no_source_names(demo_data: None) -> None:
    neok = Asset.objects.get(code="NEOK002")
    assert "RenLite" not in neok.description and "RenMice" not in neok.description
    assert neok.conjugation_platform is None and neok.masking_platform is None


def test_unverified_sources_say_so(demo_data: None, reader: Client) -> None:
    assert Source.objects.count() == len(data.SOURCES)
    assert not Source.objects.filter(verified=True).exists()
    page = reader.get(reverse("programs:asset_detail", args=["t-dxd"])).content.decode()
    sources = page.split('id="sources"', 1)[1].split("</section>", 1)[0]
    assert sources.count(">unverified<") == Asset.objects.get(code="T-DXd").sources.count()
    deal_page = reader.get(reverse("programs:deal_detail", args=[_bms_deal().pk])).content.decode()
    assert ">unverified<" in deal_page


def test_brand_names_are_brands(demo_data: None) -> None:
    kinds = dict(
        AssetDesignation.objects.filter(name__in=["Kadcyla", "Enhertu", "DS-8201"]).values_list("name", "kind")
    )
    assert kinds == {"Kadcyla": "brand", "Enhertu": "brand", "DS-8201": "alias"}


# --- an old database -------------------------------------------------------------------------------


def _write_the_old_version() -> None:
    """The values the earlier demo set wrote, as its loader left them (no edit since: version 1)."""
    genentech = Company.objects.get(name="Genentech")
    CompanyAlias.objects.create(company=genentech, name="Roche")
    js212 = Asset.objects.get(code="JS212")
    js212.indications.add(
        *(Indication.objects.get_or_create(name=n)[0] for n in ("Lung cancer", "Breast cancer", "Head and neck cancer"))
    )
    vcbeat = Source.objects.get(url=data.SOURCES["vcbeat"]["url"])
    ba = Asset.objects.get(code="BA1301")
    SafetyEvent.objects.filter(asset=ba, term="anemia and neutropenia").delete()
    for term in ("anaemia", "neutropenia"):
        SafetyEvent.objects.create(
            asset=ba,
            category="hematological",
            term=term,
            incidence_percent=Decimal("1.7"),
            study="Phase 1 (ESMO 2025)",
            source=vcbeat,
        )
    Source.objects.update(verified=True)
    Deal.objects.filter(title=BMS_DEAL).update(announced_on=dt.date(2023, 12, 1), announced_precision="month")
    DealTerms.objects.filter(deal__title=BMS_DEAL, stands=True).update(
        note="Up to US$8.4 billion: US$800M upfront, US$500M contingent, up to US$7.1B milestones."
    )
    Asset.objects.filter(code="NEOK002").update(
        description="EGFR/MUC1 bispecific-derived ADC from Biocytogen's RenLite/RenMice platform; licensed to "
        "NEOK Bio in 2024."
    )
    Asset.objects.filter(code__in=["T-DM1", "T-DXd"]).update(linker_type="unknown", linker_payload="")
    AssetDesignation.objects.filter(name__in=["Kadcyla", "Enhertu"]).update(kind="alias")


def test_seed_demo_corrects_a_database_the_old_set_wrote(demo_data: None) -> None:
    _write_the_old_version()
    call_command("seed_demo", verbosity=0)
    assert not CompanyAlias.objects.filter(name="Roche").exists()
    assert not Asset.objects.get(code="JS212").indications.exists()
    assert list(
        SafetyEvent.objects.filter(asset__code="BA1301", category="hematological").values_list("term", flat=True)
    ) == ["anemia and neutropenia"]
    assert not Source.objects.filter(verified=True).exists()
    deal = _bms_deal()
    assert (deal.announced_on, deal.announced_precision) == (dt.date(2023, 12, 11), "day")
    assert DealTerms.objects.get(deal=deal, stands=True).note == data.TERMS_NOTE
    assert "RenLite" not in Asset.objects.get(code="NEOK002").description
    assert Asset.objects.get(code="T-DXd").linker_payload == "deruxtecan"
    assert AssetDesignation.objects.get(name="Enhertu").kind == "brand"
    # A second run finds nothing left to correct.
    history = Asset.history.count()
    call_command("seed_demo", verbosity=0)
    assert Asset.history.count() == history


def test_an_editors_change_is_not_overwritten(demo_data: None) -> None:
    source = Source.objects.get(url=data.SOURCES["bms"]["url"])
    source.verified = True  # an editor checked the URL: version 2
    source.save()
    call_command("seed_demo", verbosity=0)
    source.refresh_from_db()
    assert source.verified  # ``verified`` is only a starting value
    neok = Asset.objects.get(code="NEOK002")
    neok.description = "Edited by hand."
    neok.save()
    with pytest.raises(CommandError, match="description"):
        call_command("seed_demo", verbosity=0)
    neok.refresh_from_db()
    assert neok.description == "Edited by hand."
