"""Only bd, editor and admin export; viewers get 403, anonymous users the login page; each export is logged."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import ExportLog
from tests.exports.helpers import body, user_in
from tests.factories import DealFactory

EXPORTS = ["programs:deal_export", "programs:asset_export"]


@pytest.mark.parametrize("name", EXPORTS)
def test_it_sends_anonymous_users_to_login(db: None, client: Client, name: str) -> None:
    response = client.get(reverse(name), {"format": "csv"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("name", EXPORTS)
def test_it_forbids_viewers(db: None, client: Client, name: str) -> None:
    client.force_login(user_in("viewer"))
    assert client.get(reverse(name), {"format": "csv"}).status_code == 403
    assert client.get(reverse(name), {"format": "xlsx"}).status_code == 403
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("role", ["bd", "editor", "admin"])
@pytest.mark.parametrize("name", EXPORTS)
def test_it_lets_bd_editor_and_admin_export_and_logs_it(db: None, client: Client, role: str, name: str) -> None:
    DealFactory.create_batch(3)
    user = user_in(role)
    client.force_login(user)
    response = client.get(reverse(name), {"format": "csv", "kind": "licence", "page": "2"})
    assert response.status_code == 200
    body(response)  # the log is completed when the stream is consumed
    log = ExportLog.objects.get()
    assert (log.user, log.format, log.state) == (user, "csv", "done")
    assert log.table == ("deals" if "deal" in name else "assets")
    assert log.query == ("kind=licence" if "deal" in name else "kind=licence")
    assert log.rows == (3 if "deal" in name else 0)
    assert log.created_at is not None


def test_it_rejects_an_unknown_format_or_bad_filter_with_a_message(db: None, client: Client) -> None:
    client.force_login(user_in("bd"))
    response = client.get(reverse("programs:deal_export"), {"format": "pdf"})
    assert response.status_code == 400
    assert b"format=csv" in response.content
    response = client.get(reverse("programs:deal_export"), {"format": "csv", "year_min": "soon"})
    assert response.status_code == 400
    assert b"year_min" in response.content
    assert not ExportLog.objects.exists()


def test_it_shows_export_links_only_to_exporters(db: None, client: Client) -> None:
    client.force_login(user_in("viewer"))
    assert b"format=xlsx" not in client.get(reverse("programs:deal_list")).content
    client.force_login(user_in("bd"))
    page = client.get(reverse("programs:deal_list"), {"kind": "licence", "page": "1"}).content.decode()
    assert f'{reverse("programs:deal_export")}?format=xlsx&amp;kind=licence' in page
