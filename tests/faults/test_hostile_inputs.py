"""The hostile tester's 5xx inputs of issue 20, each now a refusal beside the field with nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from programs.models import Company, CompanyAlias
from tests.faults.editforms import counts, editor_client, management

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db: None) -> APIClient:
    from django.contrib.auth import get_user_model

    from programs.roles import EDITOR, ensure_roles

    user = get_user_model().objects.create(username="hostile-api")
    user.groups.set([ensure_roles()[EDITOR]])
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("value", ["%v", "%s", "%(x)s", "{}", "%", "EGFR-%v"])
@pytest.mark.parametrize("name", ["pair", "target"])
def test_a_template_character_in_a_filter_is_a_400_naming_it(demo_data: None, api: APIClient, name: str,
                                                             value: str) -> None:
    response = api.get("/api/v1/assets/", {name: value})
    assert response.status_code == 400
    assert value in response.json()["error"]["fields"][name][0]


def _company_form(name: str, aliases: tuple[str, ...] = ()) -> dict[str, str]:
    data = {"name": name, "kind": "biotech", "country": "", "website": "", **management("aliases", len(aliases))}
    for i, alias in enumerate(aliases):
        data[f"aliases-{i}-name"] = alias
    return data


@pytest.mark.parametrize(("first", "second"), [("Zeta Repro Pharma", "Zeta-Repro Pharma"), ("🧬🧪", "🧫")])
def test_a_company_whose_slug_exists_is_refused_beside_its_name(db: None, first: str, second: str) -> None:
    client = editor_client()
    assert client.post(reverse("programs:company_add"), _company_form(first)).status_code == 302
    before = counts()
    response = client.post(reverse("programs:company_add"), _company_form(second))
    assert response.status_code == 200
    errors = response.context["form"].errors["name"]
    assert any(first in e and "more distinct" in e for e in errors), errors
    assert counts() == before


def test_an_alias_whose_key_exists_is_refused_beside_it(db: None) -> None:
    other = Company.objects.create(name="Bristol Myers Squibb", slug="bristol-myers-squibb")
    CompanyAlias.objects.create(company=other, name="BMS")
    client = editor_client()
    before = counts()
    response = client.post(reverse("programs:company_add"), _company_form("New Co", ("B.M.S.",)))
    assert response.status_code == 200
    assert "BMS" in str(response.context["formsets"]["aliases"].forms[0].errors["name"])
    twice = client.post(reverse("programs:company_add"), _company_form("New Co", ("Acme One", "acme-one")))
    assert twice.status_code == 200
    assert "Another row here" in str(twice.context["formsets"]["aliases"].forms[1].errors["name"])
    assert counts() == before


def test_the_api_reports_a_slug_clash_beside_the_name_with_409(db: None, api: APIClient) -> None:
    assert api.post("/api/v1/companies/", {"name": "Zeta Repro Pharma"}, format="json").status_code == 201
    response = api.post("/api/v1/companies/", {"name": "Zeta-Repro Pharma"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict" and "Zeta Repro Pharma" in error["fields"]["name"][0]
    assert Company.objects.count() == 1


def test_quick_entry_refuses_a_new_originator_whose_slug_exists(demo_data: None) -> None:
    Company.objects.create(name="Zeta Repro Pharma", slug="zeta-repro-pharma")
    before = counts()
    response = editor_client().post(reverse("milestones:quick_milestone"), {
        "new_code": "ZRP-001", "new_originator": "Zeta-Repro Pharma", "new_targets": "EGFR", "kind": "ind_cleared",
        "agency": "FDA", "date": "2024-05-01", "status": "occurred", "source_url": "https://example.com/zrp",
    })
    assert response.status_code == 200
    assert "Zeta Repro Pharma" in str(response.context["form"].errors["new_originator"])
    assert counts() == before
