"""History: every change kept with its user, shown field by field; admins restore deleted records."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milestones.models import Milestone
from programs.models import Company
from tests.factories import CompanyFactory, MilestoneFactory


@pytest.mark.django_db
def test_it_records_and_shows_field_differences_with_the_user(login) -> None:
    company = CompanyFactory(name="Old Name")
    client = login("editor")
    client.post(reverse("programs:company_edit", args=[company.pk]), {
        "name": "New Name", "kind": company.kind, "country": "CN", "website": "", "version": "1",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"})
    record = company.history.order_by("-history_id").first()
    assert record.history_user.username == "editor"
    html = login("viewer").get(reverse("programs:company_history", args=[company.pk])).content.decode()
    assert "Old Name" in html and "New Name" in html and "editor" in html


@pytest.mark.django_db
def test_it_lets_an_admin_restore_a_deleted_milestone(login) -> None:
    m = MilestoneFactory()
    pk = m.pk
    editor = login("editor")
    assert editor.post(reverse("milestones:milestone_delete", args=[pk])).status_code == 302
    assert not Milestone.objects.filter(pk=pk).exists()
    restore = reverse("milestones:milestone_restore")
    assert editor.get(restore).status_code == 403
    admin = login("admin")
    page = admin.get(restore).content.decode()
    assert "IND cleared" in page
    history_id = Milestone.history.filter(id=pk, history_type="-").get().history_id
    assert admin.post(restore, {"history_id": history_id}).status_code == 302
    assert Milestone.objects.filter(pk=pk).exists()
    assert "Nothing to restore" in admin.post(restore, {"history_id": history_id}, follow=True).content.decode()


@pytest.mark.django_db
def test_it_refuses_a_protected_delete_with_a_message(login) -> None:
    m = MilestoneFactory()
    response = login("editor").post(reverse("programs:asset_delete", args=[m.asset_id]), follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert Company.objects.filter(pk=m.asset.originator_id).exists()


@pytest.mark.django_db
def test_it_bounds_history_queries(login, django_assert_max_num_queries) -> None:
    company = CompanyFactory()
    client = login("viewer")
    for n in (2, 20):
        for i in range(n):
            company.website = f"https://x{i}.example.com"
            company.save()
        with django_assert_max_num_queries(10):
            assert client.get(reverse("programs:company_history", args=[company.pk])).status_code == 200
