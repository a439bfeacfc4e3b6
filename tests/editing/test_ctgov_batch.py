"""A ClinicalTrials.gov search page imports with one recompute per asset and a bounded number of queries.

The studies are generated from the v2 fixture of test_ctgov.py (titles say "Generated test study", NCT
ids NCT097xxxxx are not real trials), each over its own asset, with a sponsor, a collaborator, two
conditions, secondary ids and two arms. These tests use real commits (``transaction=True``): each study
is its own transaction, and what the page queues is sent when the last one has committed.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from milestones.models import Milestone, Trial, TrialIntervention
from programs import jobs, tasks
from programs.models import Asset, Company
from tests.factories import AssetFactory

RECORD = Path(__file__).resolve().parent.parent / "data" / "ctgov_v2_NCT06000001.json"
CONDITIONS = ["Breast Cancer", "Gastric Cancer", "Urothelial Carcinoma", "Ovarian Cancer"]


def study(i: int, *, sponsor: str = "Generated Oncology") -> dict[str, Any]:
    data = json.loads(RECORD.read_text())
    proto = data["protocolSection"]
    code = f"GT-{i:03d}"
    proto["identificationModule"].update(
        nctId=f"NCT097{i:05d}",
        briefTitle=f"Generated test study {i} of {code}",
        secondaryIdInfos=[{"id": f"CTR2097{i:04d}", "type": "REGISTRY"}, {"id": f"{code}-001"}],
    )
    proto["sponsorCollaboratorsModule"] = {
        "leadSponsor": {"name": sponsor, "class": "INDUSTRY"},
        "collaborators": [{"name": f"Generated Partner {i % 3}", "class": "INDUSTRY"}],
    }
    proto["conditionsModule"] = {"conditions": [CONDITIONS[i % 4], CONDITIONS[(i + 1) % 4]]}
    proto["armsInterventionsModule"] = {
        "armGroups": [
            {"label": f"{code} alone", "type": "EXPERIMENTAL", "interventionNames": [f"Drug: {code}"]},
            {
                "label": f"{code} + partner",
                "type": "EXPERIMENTAL",
                "interventionNames": [f"Drug: {code}", "Drug: Partner antibody"],
            },
        ],
        "interventions": [{"type": "DRUG", "name": code}, {"type": "DRUG", "name": "Partner antibody"}],
    }
    return data


def page(tmp_path: Path, studies: list[dict[str, Any]], name: str = "page.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({"studies": studies, "nextPageToken": "generated"}))
    return str(path)


def assets(n: int) -> list[Asset]:
    return [AssetFactory(code=f"GT-{i:03d}") for i in range(n)]


@pytest.fixture
def sent(monkeypatch) -> Counter[str]:
    """The name of every task ``programs.jobs`` sends (eager: each also runs)."""
    names: Counter[str] = Counter()
    real = jobs.send

    def counting(task: Any, *args: Any) -> bool:
        names[task.name] += 1
        return real(task, *args)

    monkeypatch.setattr(jobs, "send", counting)
    return names


@pytest.fixture
def recomputed(monkeypatch) -> Counter[int]:
    """How many times each asset's derived facts were recomputed."""
    counts: Counter[int] = Counter()
    real = tasks.recompute_asset_changes

    def counting(asset_id: int) -> set[str] | None:
        counts[asset_id] += 1
        return real(asset_id)

    monkeypatch.setattr(tasks, "recompute_asset_changes", counting)
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_page_of_20_studies_recomputes_each_asset_once(tmp_path, sent, recomputed) -> None:
    tested = assets(20)
    sent.clear()
    recomputed.clear()
    call_command("import_ctgov", page(tmp_path, [study(i) for i in range(20)]), stdout=io.StringIO())
    assert Trial.objects.count() == 20 and Milestone.objects.count() == 20
    assert recomputed == Counter({a.pk: 1 for a in tested})  # each once, none forgotten
    assert sent == {"programs.recompute_assets": 1, "programs.recompute_stats": 1}
    assert not Asset.objects.filter(derived_dirty=True).exists()
    assert set(Asset.objects.values_list("highest_phase", flat=True)) == {"phase1_2"}
    # History is still written for every row, bulk-written ones included.
    assert Trial.history.count() == 20 and Milestone.history.count() == 20
    assert TrialIntervention.history.count() == TrialIntervention.objects.count() == 60


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_recomputes_and_queues_nothing(tmp_path, sent, recomputed) -> None:
    assets(3)
    sent.clear()
    recomputed.clear()
    out = io.StringIO()
    call_command("import_ctgov", page(tmp_path, [study(i) for i in range(3)]), "--dry-run", stdout=out)
    assert out.getvalue().count("would write") == 3
    assert not Trial.objects.exists() and not recomputed and not sent


@pytest.mark.django_db(transaction=True)
def test_a_failed_study_writes_nothing_and_leaves_no_cached_row_behind(tmp_path, sent, recomputed) -> None:
    """The first study creates a new sponsor, then breaks a rule and rolls back; the second names the same
    new sponsor and must get a company that exists (the cache keeps only committed rows)."""
    first, second = assets(2)
    recomputed.clear()
    bad = study(0, sponsor="Brand New Sponsor")
    bad["protocolSection"]["statusModule"]["completionDateStruct"] = {"date": "2020-01", "type": "ACTUAL"}
    good = study(1, sponsor="Brand New Sponsor")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 study could not be imported"):
        call_command("import_ctgov", page(tmp_path, [bad, good]), stdout=io.StringIO(), stderr=err)
    assert "NCT09700000" in err.getvalue() and "nothing written" in err.getvalue()
    trial = Trial.objects.get()
    assert trial.lead_sponsor == Company.objects.get(name="Brand New Sponsor")
    assert list(trial.registry_ids.values_list("value", flat=True)) == ["CTR20970001", "NCT09700001"]
    assert not Milestone.objects.filter(asset=first).exists()
    assert set(recomputed) == {second.pk}  # what committed is recomputed, once


@pytest.mark.django_db(transaction=True)
def test_a_reimport_updates_in_place_and_recomputes_once_more(tmp_path, recomputed) -> None:
    tested = assets(4)
    recomputed.clear()
    path = page(tmp_path, [study(i) for i in range(4)])
    call_command("import_ctgov", path, stdout=io.StringIO())
    recomputed.clear()
    changed = [study(i) for i in range(4)]
    for record in changed:
        record["protocolSection"]["statusModule"]["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    out = io.StringIO()
    call_command("import_ctgov", page(tmp_path, changed, "again.json"), stdout=out)
    assert out.getvalue().count("updated") == 4
    assert Trial.objects.count() == 4 and Milestone.objects.count() == 4
    assert set(Trial.objects.values_list("overall_status", flat=True)) == {"ACTIVE_NOT_RECRUITING"}
    assert recomputed == Counter({a.pk: 1 for a in tested})


def _import_queries(tmp_path: Path, n: int, offset: int) -> int:
    for i in range(offset, offset + n):
        AssetFactory(code=f"GT-{i:03d}")
    with CaptureQueriesContext(connection) as queries:
        call_command(
            "import_ctgov",
            page(tmp_path, [study(i) for i in range(offset, offset + n)], f"p{offset}.json"),
            stdout=io.StringIO(),
        )
    assert (
        Trial.objects.filter(registry_ids__value__in=[f"NCT097{i:05d}" for i in range(offset, offset + n)]).count() == n
    )
    return len(queries)


#: Queries one more new study may cost (41 measured): its transaction, the source, the trial, its ids,
#: links, two arms and their interventions, each with history, the phase start (validation's checks,
#: insert, history, dirty flag) and its asset's share of the batched recompute. Known companies,
#: indications and assets cost none: two more queries per study would break the bound at 20 studies.
PER_STUDY = 42
FIXED = 90  # measured 79: the file's lookups, the batched recompute's and the statistics' statements


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("n", [5, 20])
def test_the_import_costs_a_fixed_number_of_queries_per_study(tmp_path, n) -> None:
    _import_queries(tmp_path, 3, 900)  # the companies and indications exist, as on any page but the first
    count = _import_queries(tmp_path, n, 0)
    assert count <= FIXED + PER_STUDY * n
