"""Editor forms put the domain rules beside the field: DAR, incidence, n > N, targets, URLs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milestones.models import SafetyEvent
from programs.models import Asset, Company
from tests.factories import AssetFactory, CompanyFactory, SourceFactory


def _asset_data(company: Company, **changes: str) -> dict[str, str]:
    data = {"code": "ZZ-100", "originator": str(company.pk), "status": "active", "antibody_format": "monospecific_igg",
            "fc_engineering": "unknown", "conjugation_method": "unknown", "dar_kind": "nominal",
            "linker_cleavable": "unknown", "targets_text": "EGFR; HER3", "payloads_text": "",
            "designations-TOTAL_FORMS": "1", "designations-INITIAL_FORMS": "0", "designations-0-name": "zz one",
            "designations-0-kind": "alias"}
    data.update(changes)
    return data


@pytest.mark.django_db
def test_it_creates_an_asset_with_targets_and_aliases(login) -> None:
    company = CompanyFactory()
    response = login("editor").post(reverse("programs:asset_add"), _asset_data(company, dar="4.0"))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    asset = Asset.objects.get(code="ZZ-100")
    assert [t.target.symbol for t in asset.asset_targets.all()] == ["EGFR", "ERBB3"]
    assert sorted(asset.designations.values_list("name", flat=True)) == ["ZZ-100", "zz one"]


@pytest.mark.django_db
@pytest.mark.parametrize("dar", ["0", "20.5", "-1"])
def test_it_refuses_a_dar_outside_0_20(login, dar: str) -> None:
    response = login("editor").post(reverse("programs:asset_add"), _asset_data(CompanyFactory(), dar=dar))
    assert "dar" in response.context["form"].errors
    assert not Asset.objects.filter(code="ZZ-100").exists()


@pytest.mark.django_db
def test_it_refuses_an_unknown_target_with_a_suggestion(login) -> None:
    response = login("editor").post(reverse("programs:asset_add"), _asset_data(CompanyFactory(), targets_text="ERBB"))
    assert "Did you mean" in str(response.context["form"].errors["targets_text"])


@pytest.mark.django_db
def test_it_refuses_an_alias_that_names_another_asset(login) -> None:
    AssetFactory(code="TAKEN-1")
    data = _asset_data(CompanyFactory(), **{"designations-0-name": "taken 1"})
    response = login("editor").post(reverse("programs:asset_add"), data)
    assert response.status_code == 200 and "already names TAKEN-1" in response.content.decode()


def _safety_data(**changes: str) -> dict[str, str]:
    asset, source = AssetFactory(), SourceFactory()
    data = {"asset": str(asset.pk), "category": "ild", "term": "ILD", "grade_band": "any",
            "assessment": "reported", "source": str(source.pk), "data_cutoff_precision": "unknown"}
    data.update(changes)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("pct", ["-0.5", "100.5"])
def test_it_refuses_an_incidence_outside_0_100(login, pct: str) -> None:
    response = login("editor").post(reverse("milestones:safetyevent_add"), _safety_data(incidence_percent=pct))
    assert "incidence_percent" in response.context["form"].errors
    assert not SafetyEvent.objects.exists()


@pytest.mark.django_db
def test_it_refuses_n_above_total(login) -> None:
    response = login("editor").post(reverse("milestones:safetyevent_add"), _safety_data(n="12", n_total="10"))
    assert "cannot exceed N" in str(response.context["form"].errors["n"])


@pytest.mark.django_db
def test_it_saves_a_valid_safety_event(login) -> None:
    response = login("editor").post(reverse("milestones:safetyevent_add"),
                                    _safety_data(n="3", n_total="176", incidence_percent="1.7"))
    assert response.status_code == 302
    assert SafetyEvent.objects.get().n_total == 176


@pytest.mark.django_db
def test_it_refuses_a_malformed_source_url(login) -> None:
    response = login("editor").post(reverse("programs:source_add"), {"url": "htp:/bad", "title": "x"})
    assert "url" in response.context["form"].errors
