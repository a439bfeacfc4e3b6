"""What the export writes imports back unchanged: a dry run of the demo export reports no change."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.io.importers import dry_run
from tests.exports.helpers import body, user_in


def _changes(report: Any) -> int:
    """Rows the import would create or update, plus errors (a clean round trip has none)."""
    counts = report.counts()
    return counts["created"] + counts["updated"] + len(report.errors)


@pytest.mark.parametrize(("table", "url"), [("deals", "programs:deal_export"), ("assets", "programs:asset_export")])
def test_it_reimports_the_demo_export_with_zero_changes(demo_data: None, client: Client, table: str, url: str) -> None:
    client.force_login(user_in("bd"))
    text = body(client.get(reverse(url), {"format": "csv"})).decode("utf-8")
    report = dry_run(table, text)
    assert _changes(report) == 0, report.as_text()
