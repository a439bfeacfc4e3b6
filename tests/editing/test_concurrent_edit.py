"""No lost updates: a save based on a stale version is refused with what changed meanwhile."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programs.editing.versions import VersionConflict, save_if_unchanged
from programs.models import Company
from tests.factories import CompanyFactory


def _company_form(company: Company, version: int, **changes: str) -> dict[str, str]:
    data = {"name": company.name, "kind": company.kind, "country": str(company.country), "website": "",
            "version": str(version), "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    data.update(changes)
    return data


@pytest.mark.django_db
def test_it_refuses_the_second_of_two_edits_of_the_same_version(login) -> None:
    company = CompanyFactory(name="Junshi")
    url = reverse("programs:company_edit", args=[company.pk])
    alice, bob = login("editor"), login("admin")
    assert 'name="version" value="1"' in alice.get(url).content.decode()
    first = alice.post(url, _company_form(company, 1, website="https://junshi.example.com"))
    assert first.status_code == 302
    second = bob.post(url, _company_form(company, 1, name="Junshi Biosciences"))
    assert second.status_code == 200
    html = second.content.decode()
    assert "Someone saved this record meanwhile" in html and "website" in html
    company.refresh_from_db()
    assert (company.name, company.website, company.version) == ("Junshi", "https://junshi.example.com", 2)


@pytest.mark.django_db
def test_it_lets_only_one_of_two_saves_of_a_read_version_win() -> None:
    company = CompanyFactory()
    copy_a, copy_b = Company.objects.get(pk=company.pk), Company.objects.get(pk=company.pk)
    copy_a.website, copy_b.website = "https://a.example.com", "https://b.example.com"
    save_if_unchanged(copy_a, 1)
    with pytest.raises(VersionConflict) as conflict:
        save_if_unchanged(copy_b, 1)
    assert [c.field for c in conflict.value.changes] == ["website"]
    assert conflict.value.current_version == 2
    assert Company.objects.get(pk=company.pk).website == "https://a.example.com"


@pytest.mark.django_db
def test_it_reports_a_record_deleted_meanwhile() -> None:
    company = CompanyFactory()
    stale = Company.objects.get(pk=company.pk)
    company.delete()
    with pytest.raises(VersionConflict, match="deleted meanwhile"):
        save_if_unchanged(stale, 1)
