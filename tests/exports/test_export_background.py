"""An XLSX over ADCTRACK_XLSX_SYNC_MAX_ROWS is built by a Celery task (eager without Redis)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from programs.models import ExportLog
from tests.exports.helpers import body, user_in
from tests.factories import DealFactory


def test_it_builds_a_large_xlsx_in_the_background(
    db: None, bd_client: Client, media: Path, settings: object, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ADCTRACK_XLSX_SYNC_MAX_ROWS = 3  # type: ignore[attr-defined]
    DealFactory.create_batch(5, kind="licence")
    DealFactory(kind="option")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = bd_client.get(reverse("programs:deal_export"),
                                 {"format": "xlsx", "kind": "licence", "columns": "title,currency"})
    assert len(callbacks) == 1  # queued on commit, not run inside the request's transaction
    log = ExportLog.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:export_status", args=[log.pk])
    assert (log.state, log.rows) == ("done", 5)  # the task ran eagerly on commit
    assert (media / "exports" / f"{log.pk}-deals.xlsx").is_file()
    status = bd_client.get(response["Location"])
    download_url = reverse("programs:export_download", args=[log.pk])
    assert download_url.encode() in status.content
    wb = openpyxl.load_workbook(io.BytesIO(body(bd_client.get(download_url))))
    assert wb["Deals"].max_row == 6
    assert wb.sheetnames == ["Deals", "Terms", "Sources", "About"]
    # the background build keeps the columns asked for (they ride in the log's query, not the filters)
    assert [c.value for c in wb["Deals"][1]] == ["Deal", "Currency"]


def test_it_shows_a_pending_export_with_a_refresh(db: None, bd_client: Client) -> None:
    user = user_in("editor")
    client = Client()
    client.force_login(user)
    log = ExportLog.objects.create(user=user, table="deals", format="xlsx", state="pending")
    page = client.get(reverse("programs:export_status", args=[log.pk]))
    assert b'http-equiv="refresh"' in page.content
    assert client.get(reverse("programs:export_download", args=[log.pk])).status_code == 404


def test_it_lets_only_the_requester_download(
    db: None, bd_client: Client, media: Path, settings: object, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ADCTRACK_XLSX_SYNC_MAX_ROWS = 0  # type: ignore[attr-defined]
    DealFactory()
    with django_capture_on_commit_callbacks(execute=True):
        bd_client.get(reverse("programs:deal_export"), {"format": "xlsx"})
    log = ExportLog.objects.get()
    other = Client()
    other.force_login(user_in("admin"))
    assert other.get(reverse("programs:export_status", args=[log.pk])).status_code == 404
    assert other.get(reverse("programs:export_download", args=[log.pk])).status_code == 404
    assert bd_client.get(reverse("programs:export_download", args=[log.pk])).status_code == 200
