"""API exports: /api/v1/deals/export/?format=csv and /api/v1/assets/export/?format=xlsx, token or session."""

from __future__ import annotations

import io

import openpyxl
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from programs.models import ExportLog
from tests.exports.helpers import body, csv_rows, user_in
from tests.factories import AssetFactory, DealFactory


def test_it_exports_deals_as_csv_with_a_token(db: None, client: Client) -> None:
    DealFactory(title="Alpha", kind="licence")
    DealFactory(title="Beta", kind="option")
    _, token = AuthToken.objects.create(user_in("bd"))
    response = client.get("/api/v1/deals/export/", {"format": "csv", "kind": "option"},
                          HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert [r["title"] for r in csv_rows(response)] == ["Beta"]
    assert ExportLog.objects.get().via == "api"
    assert reverse("api:deal_export") == "/api/v1/deals/export/"


def test_it_exports_assets_as_xlsx_with_a_session(db: None, client: Client) -> None:
    AssetFactory(code="ZZ-1")
    client.force_login(user_in("editor"))
    response = client.get("/api/v1/assets/export/", {"format": "xlsx"})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(body(response)))["Assets"]
    assert ws["A2"].value == "ZZ-1"


def test_it_refuses_viewers_and_anonymous_callers(db: None, client: Client) -> None:
    assert client.get("/api/v1/deals/export/", {"format": "csv"}).status_code in (401, 403)
    _, token = AuthToken.objects.create(user_in("viewer"))
    response = client.get("/api/v1/deals/export/", {"format": "csv"}, HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403
    assert not ExportLog.objects.exists()
