"""Every edit form must send back the version it was read at: without it (or malformed) the save is
refused with a message, like a stale one, and nothing is written. Edit pages come from the URL conf."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milestones.models import Milestone
from programs.forms.base import MISSING_VERSION
from tests.faults.editforms import EditView, counts, edit_views, editor_client, page_data

pytestmark = pytest.mark.django_db
EDITS = [v for v in edit_views() if v.is_edit]


@pytest.mark.parametrize("view", EDITS, ids=lambda v: v.name)
@pytest.mark.parametrize("version", [None, "", "abc", "1.5"])
def test_an_edit_without_the_version_it_read_is_refused(demo_data: None, view: EditView, version: str | None) -> None:
    client = editor_client()
    record = view.model._default_manager.order_by("pk").first()
    data = page_data(client, view, record)
    assert data["version"] == str(record.version)
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = counts()
    response = client.post(view.url(record), data)
    assert response.status_code == 200
    assert MISSING_VERSION in response.context["form"].non_field_errors()
    assert MISSING_VERSION in response.content.decode().replace("&#x27;", "'")  # shown, not only hidden
    assert counts() == before
    assert view.model._default_manager.get(pk=record.pk).version == record.version


@pytest.mark.parametrize("view", EDITS, ids=lambda v: v.name)
def test_the_same_page_with_its_version_saves(demo_data: None, view: EditView) -> None:
    client = editor_client()
    record = view.model._default_manager.order_by("pk").first()
    response = client.post(view.url(record), page_data(client, view, record))
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert view.model._default_manager.get(pk=record.pk).version == record.version + 1


def test_marking_an_event_occurred_without_the_version_is_refused(demo_data: None) -> None:
    milestone = Milestone.objects.filter(status="planned").first()
    response = editor_client().post(reverse("milestones:quick_mark_occurred", args=[milestone.pk]),
                                    {"date": "2025-05-10"})
    assert response.status_code == 200
    assert MISSING_VERSION in response.context["form"].non_field_errors()
    milestone.refresh_from_db()
    assert milestone.status == "planned"
