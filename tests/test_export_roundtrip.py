"""An export of the demo data imports back unchanged: the import's dry run reports zero changes.

Wiring for the lead: this test calls ``programs.io.importers.dry_run(table, text)``, written by the
importer issue on another branch, and expects a report with ``changes`` (a count or a list; zero or
empty) — adapt ``_changes`` to the report's real shape at merge. It fails on the exports branch
alone, where the importer does not exist yet.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.exports.helpers import body, user_in


def _changes(report: Any) -> int:
    changes = report["changes"] if isinstance(report, dict) else report.changes
    return changes if isinstance(changes, int) else len(changes)


@pytest.mark.parametrize(("table", "url"), [("deals", "programs:deal_export"), ("assets", "programs:asset_export")])
def test_it_reimports_the_demo_export_with_zero_changes(demo_data: None, client: Client, table: str, url: str) -> None:
    client.force_login(user_in("bd"))
    text = body(client.get(reverse(url), {"format": "csv"})).decode("utf-8")
    importers = importlib.import_module("programs.io.importers")  # lazy: the importer lands at merge
    report = importers.dry_run(table, text)
    assert _changes(report) == 0, report
