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


def test_the_near_term_payment_goes_out_and_comes_back(demo_data: None, client: Client) -> None:
    import csv
    import io

    from programs.io.importers import import_csv
    from programs.models import DealTerms

    client.force_login(user_in("bd"))
    rows = list(csv.DictReader(io.StringIO(body(client.get(reverse("programs:deal_export"), {"format": "csv"}))
                                           .decode("utf-8"))))
    (bms,) = [r for r in rows if "BL-B01D1" in r["assets"]]
    assert bms["near_term"] == "500" and bms["upfront"] == "800" and bms["total_value"] == "8400"
    bms["near_term"] = "600"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(bms)
    report = import_csv("deals", out.getvalue())
    assert report.counts()["updated"] == 1, report.as_text()
    assert DealTerms.objects.get(deal__assets__code="BL-B01D1", stands=True).near_term == 600
