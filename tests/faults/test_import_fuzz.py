"""Generated CSV files for every import table, uploaded as an editor: never a 5xx, all or nothing.

Tables and their columns come from ``programs.io.columns.COLUMNS`` at run time. Each file starts from
valid rows (the demo data's own export for assets and deals; a known-good row for the others) and
replaces cells with generated values: other rows' values, malformed numbers and dates, ``%`` and
``{}`` templates, list separators, quotes and line breaks, huge numbers. A file whose report has an
error writes nothing; a dry run never writes.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from programs.io.columns import COLUMNS
from programs.io.importers import dry_run
from tests.exports.helpers import body, user_in
from tests.faults.editforms import counts, editor_client

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
EXPORTS = {"assets": "programs:asset_export", "deals": "programs:deal_export"}
# A valid row for the tables without an export, by column name (columns missing here start blank).
GOOD_ROWS: dict[str, dict[str, str]] = {
    "milestones": {"asset": "BL-B01D1", "kind": "IND cleared / approved", "agency": "NMPA", "date": "2024-05",
                   "status": "occurred", "source_url": "https://example.com/fuzz-import", "source_title": "Fuzz"},
    "safety": {"asset": "BL-B01D1", "category": "ild", "term": "interstitial lung disease", "grade": "any",
               "incidence_percent": "1.5", "n": "3", "n_total": "200", "study": "FUZZ-1", "data_cutoff": "2024-06",
               "source_url": "https://example.com/fuzz-safety"},
    # A fictitious registry id (NCT9...: not a real study).
    "trials": {"registry_ids": "NCT99000001", "title": "A fuzz study of BL-B01D1", "phases": "Phase 2",
               "study_type": "interventional", "status": "Recruiting", "sponsor": "Biokin Pharmaceutical",
               "assets": "BL-B01D1", "conditions": "Breast cancer", "countries": "CN", "start": "2024-05 (actual)",
               "primary_completion": "2026-06 (estimated)", "enrollment": "120 (anticipated)",
               "source_url": "https://example.com/fuzz-trial"},
}
JUNK = st.sampled_from([
    "", " ", "%", "%v", "%s", "%(x)s", "{}", "-1", "0", "9" * 40, "1e309", "NaN", "2024-13-45", "2026-Q5", "Q2 2026",
    "2026-H1", ";", ";;", "A:licensor", ":", "EGFR; EGFR; EGFR; EGFR; EGFR", "\"", "a\nb", "=1+1", "🧬", "x" * 1001,
    "https://example.com/a", "not a url", "yes", "no", "unknown", "NCT03734029; NCT03734029",
]) | st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=80)


def _seed_rows(client: Client, table: str) -> list[dict[str, str]]:
    columns = COLUMNS[table]
    if table in EXPORTS:
        client.force_login(user_in("bd"))
        text = body(client.get(reverse(EXPORTS[table]), {"format": "csv"})).decode("utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))[:3]
    else:
        rows = [GOOD_ROWS[table]]
    return [{c: row.get(c, "") for c in columns} for row in rows]


def _csv(header: list[str], rows: list[dict[str, str]], delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("table", sorted(COLUMNS))
def test_it_never_errors_and_writes_all_or_nothing(demo_data: None, table: str) -> None:
    seeds = _seed_rows(Client(), table)
    assert dry_run(table, _csv(list(COLUMNS[table]), seeds, ",")).ok, f"the seed rows of {table} do not import"
    columns = list(COLUMNS[table])
    editor = editor_client()
    value = st.sampled_from(sorted({v for row in seeds for v in row.values() if v}) or [""]) | JUNK
    cells = st.dictionaries(st.sampled_from(columns), value, max_size=5)
    files = st.fixed_dictionaries({
        "rows": st.lists(st.tuples(st.integers(0, len(seeds) - 1), cells), min_size=1, max_size=4),
        "drop": st.lists(st.sampled_from(columns), max_size=1),  # a missing column
        "delimiter": st.sampled_from([",", ";", "\t"]),
        "dry_run": st.booleans(),
    })

    @FUZZ
    @given(files)
    @example({"rows": [(0, {})], "drop": [], "delimiter": ",", "dry_run": False})  # the seed row itself
    def upload(file: dict[str, Any]) -> None:
        header = [c for c in columns if c not in file["drop"]]
        rows = [seeds[i] | changes for i, changes in file["rows"]]
        data = _csv(header, rows, file["delimiter"])
        before = counts()
        post = {"table": table, "file": SimpleUploadedFile("fuzz.csv", data, content_type="text/csv")}
        if file["dry_run"]:
            post["dry_run"] = "on"
        response = editor.post(reverse("programs:import_csv"), post)
        assert response.status_code == 200, f"{table} {data!r} -> {response.status_code}"
        report = response.context["report"]
        assert report is not None, response.context["form"].errors
        if file["dry_run"] or not report.ok:
            assert counts() == before, f"{table}: {report.as_text()} wrote rows for {data!r}"

    upload()
