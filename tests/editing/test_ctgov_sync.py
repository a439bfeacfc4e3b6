"""``manage.py sync_ctgov`` and its task against a local HTTP server speaking the ClinicalTrials.gov API v2.

The server (pytest-httpserver) serves v2 records in the real schema's shape (the fixture of
test_ctgov.py, changed the way a registry update would change it), and the failures a registry gives:
429 (once, with Retry-After; and forever), 5xx, a body that is not JSON, a record without an NCT id,
the record of another study, 404. Each is reported per trial and writes nothing for it. Nothing
really sleeps: the client's sleeper is replaced and the test asserts the waits it asked for.
"""

from __future__ import annotations

import io
import json
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from milestones.models import Milestone, Trial, TrialArm
from programs.io import ctgov_client
from programs.io.ctgov import attach_study
from programs.io.ctgov_client import USER_AGENT, CtgovClient, CtgovError, CtgovUnreachable
from tests.factories import AssetFactory

RECORD = Path(__file__).resolve().parent.parent / "data" / "ctgov_v2_NCT06000001.json"
NCT = "NCT06000001"
PATH = f"/api/v2/studies/{NCT}"


def record(nct: str = NCT) -> dict[str, Any]:
    data = json.loads(RECORD.read_text())
    data["protocolSection"]["identificationModule"]["nctId"] = nct
    return data


def updated(nct: str = NCT) -> dict[str, Any]:
    """The record as the registry has it a few months later: no longer recruiting, readout moved."""
    data = record(nct)
    status = data["protocolSection"]["statusModule"]
    status["overallStatus"] = "ACTIVE_NOT_RECRUITING"
    status["startDateStruct"] = {"date": "2024-11-18", "type": "ACTUAL"}
    status["primaryCompletionDateStruct"] = {"date": "2027-09", "type": "ESTIMATED"}
    data["protocolSection"]["designModule"]["enrollmentInfo"] = {"count": 186, "type": "ACTUAL"}
    return data


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every pause a client asks for, instead of sleeping."""
    asked: list[float] = []
    monkeypatch.setattr(ctgov_client, "pause", asked.append)
    return asked


@pytest.fixture
def registry(httpserver, settings, waits):  # type: ignore[no-untyped-def]
    settings.CTGOV_BASE_URL = httpserver.url_for("/").rstrip("/")
    settings.CTGOV_MAX_RETRIES = 2
    settings.CTGOV_RATE_PER_SECOND = 50.0
    return httpserver


@pytest.fixture
def tracked(db: None) -> Trial:
    """JS212's trial, imported once from its record (as ``import_ctgov`` would)."""
    attach_study(AssetFactory(code="JS212"), record())
    return Trial.objects.get()


def state() -> tuple[object, ...]:
    """Everything a refresh could write, history included."""
    return (
        list(Trial.objects.values()),
        list(Milestone.objects.values()),
        list(TrialArm.objects.values()),
        Trial.history.count(),
        Milestone.history.count(),
        Trial.objects.count(),
    )


def sync(*args: str) -> tuple[str, str, CommandError | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("sync_ctgov", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def test_it_refreshes_status_dates_and_the_phase_start(registry, tracked: Trial) -> None:
    registry.expect_ordered_request(PATH, headers={"User-Agent": USER_AGENT}).respond_with_json(updated())
    out, err, failed = sync()
    assert failed is None, err
    assert f"refreshed {NCT}: JS212:" in out and "overall_status" in out and "primary_completion_date" in out
    assert "1 refreshed, 0 unchanged, 0 failed, 0 skipped." in out
    trial = Trial.objects.get()
    assert (trial.overall_status, trial.enrollment, trial.enrollment_type) == ("ACTIVE_NOT_RECRUITING", 186, "ACTUAL")
    assert (str(trial.primary_completion_date), trial.primary_completion_precision) == ("2027-09-01", "month")
    assert trial.synced_at > tracked.synced_at and trial.version == tracked.version + 1
    start = Milestone.objects.get()
    assert (str(start.date), start.date_precision, start.trial_record_id) == ("2024-11-18", "day", trial.pk)
    registry.check_assertions()


def test_an_unchanged_record_writes_no_history_and_moves_only_synced_at(registry, tracked: Trial) -> None:
    registry.expect_request(PATH).respond_with_json(record())
    before = Trial.history.count(), Milestone.history.count(), TrialArm.history.count()
    out, _, failed = sync()
    assert failed is None and f"unchanged {NCT}: JS212" in out and "0 refreshed, 1 unchanged" in out
    trial = Trial.objects.get()
    assert (Trial.history.count(), Milestone.history.count(), TrialArm.history.count()) == before
    assert trial.version == tracked.version and trial.synced_at > tracked.synced_at


def test_a_dry_run_reports_and_writes_nothing(registry, tracked: Trial) -> None:
    registry.expect_request(PATH).respond_with_json(updated())
    before = state()
    out, _, failed = sync("--dry-run")
    assert failed is None and f"would refresh {NCT}" in out and "Dry run: 1 would be refreshed" in out
    assert state() == before


def test_a_429_is_retried_after_the_wait_it_asks_for(registry, tracked: Trial, waits: list[float]) -> None:
    registry.expect_ordered_request(PATH).respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    registry.expect_ordered_request(PATH).respond_with_json(updated())
    out, err, failed = sync()
    assert failed is None, err
    assert 7.0 in waits  # Retry-After honoured, not the 1 s backoff
    assert "1 refreshed" in out and Trial.objects.get().overall_status == "ACTIVE_NOT_RECRUITING"
    registry.check_assertions()


@pytest.mark.parametrize(
    ("respond", "words"),
    [
        ({"response_data": "busy", "status": 429}, "rate limited (429) after 3 attempts"),
        ({"response_data": "oops", "status": 503}, "answered 503 after 3 attempts"),
        ({"response_data": '{"protocolSection": {', "content_type": "application/json"}, "not JSON"),
        (
            {"response_data": json.dumps({"protocolSection": {"identificationModule": {"briefTitle": "x"}}})},
            "Not a ClinicalTrials.gov API v2 study record",
        ),
        (
            {"response_data": json.dumps(updated("NCT06000009"))},
            f"asked for {NCT}, ClinicalTrials.gov answered with the record of NCT06000009",
        ),
        ({"response_data": "", "status": 404}, "has no such study (404)"),
        ({"response_data": json.dumps({"studies": []})}, "Not a ClinicalTrials.gov API v2 study record"),
        ({"response_data": "[1, 2]"}, "not a study record"),
    ],
)
def test_each_failure_is_reported_and_writes_nothing(
    registry, tracked: Trial, waits: list[float], respond: dict[str, Any], words: str
) -> None:
    registry.expect_request(PATH).respond_with_data(**respond)
    before = state()
    out, err, failed = sync()
    assert failed is not None and "1 trial could not be refreshed" in str(failed)
    assert f"failed {NCT}: " in err and words in err and "(nothing written for it)" in err
    assert "0 refreshed, 0 unchanged, 1 failed" in out
    assert state() == before
    status = respond.get("status", 200)
    retried = status in (429, 503)
    assert len(registry.log) == (3 if retried else 1)
    if status == 503:
        assert [w for w in waits if w >= 1] == [1.0, 2.0]  # exponential backoff


def test_a_record_breaking_a_domain_rule_rolls_back_the_whole_trial(registry, tracked: Trial) -> None:
    data = updated()
    data["protocolSection"]["statusModule"]["completionDateStruct"] = {"date": "2023-01", "type": "ACTUAL"}
    registry.expect_request(PATH).respond_with_json(data)
    before = state()
    _, err, failed = sync()
    assert failed is not None and "cannot come before the start" in err
    assert state() == before


def test_one_failure_does_not_stop_or_undo_the_others(registry, tracked: Trial) -> None:
    other = AssetFactory(code="JS213")
    second = record("NCT06000002")
    second["protocolSection"]["armsInterventionsModule"]["interventions"] = [{"type": "DRUG", "name": "JS213"}]
    attach_study(other, second)
    registry.expect_request(PATH).respond_with_data("", status=500)
    registry.expect_request("/api/v2/studies/NCT06000002").respond_with_json(updated("NCT06000002"))
    out, err, failed = sync()
    assert failed is not None and f"failed {NCT}" in err and "refreshed NCT06000002: JS213" in out
    assert "1 refreshed, 0 unchanged, 1 failed" in out
    statuses = dict(Trial.objects.values_list("registry_ids__value", "overall_status"))
    assert statuses == {NCT: "RECRUITING", "NCT06000002": "ACTIVE_NOT_RECRUITING"}


def test_nct_limits_the_run_and_names_what_is_not_tracked(registry, tracked: Trial) -> None:
    attach_study(AssetFactory(code="JS213"), record("NCT06000002"))
    registry.expect_request(PATH).respond_with_json(updated())
    out, err, failed = sync("--nct", NCT.lower(), "NCT06000099", "CTR20241234")
    assert failed is not None and "2 trials could not be refreshed" in str(failed)
    assert "failed NCT06000099: no tracked trial has this NCT id" in err
    assert "failed CTR20241234: not a ClinicalTrials.gov (NCT) id" in err
    assert f"refreshed {NCT}" in out and "NCT06000002" not in out
    assert [r.path for r, _ in registry.log] == [PATH]


def test_max_takes_the_least_recently_synced_first(registry, tracked: Trial) -> None:
    attach_study(AssetFactory(code="JS213"), record("NCT06000002"))  # synced after NCT06000001
    registry.expect_request(PATH).respond_with_json(record())
    out, _, failed = sync("--max", "1")
    assert failed is None and f"unchanged {NCT}" in out and "NCT06000002" not in out
    _, _, refused = sync("--max", "0")
    assert refused is not None and "--max must be positive" in str(refused)


def test_a_trial_without_an_asset_is_skipped(registry, tracked: Trial) -> None:
    tracked.assets.clear()
    registry.expect_request(PATH).respond_with_json(updated())
    out, _, failed = sync()
    assert failed is None and f"skipped {NCT}: the trial links to no asset" in out
    assert Trial.objects.get().overall_status == "RECRUITING"


def test_the_task_records_its_run(registry, tracked: Trial) -> None:
    from programs.models import JobRun, JobStatus
    from programs.tasks import sync_ctgov

    registry.expect_request(PATH).respond_with_json(updated())
    assert sync_ctgov.apply().get() == 1
    run = JobRun.objects.get(task_name="programs.sync_ctgov")
    assert (run.status, run.rows) == (JobStatus.SUCCESS, 1)
    assert Trial.objects.get().overall_status == "ACTIVE_NOT_RECRUITING"
    assert sync_ctgov.apply(kwargs={"nct_ids": [NCT]}).get() == 0  # idempotent: the second run finds it current


def test_the_task_fails_its_run_naming_the_trials_that_failed(registry, tracked: Trial) -> None:
    from programs.models import JobRun, JobStatus
    from programs.tasks import CtgovSyncFailed, sync_ctgov

    registry.expect_request(PATH).respond_with_data("", status=404)
    before = state()
    with pytest.raises(CtgovSyncFailed, match="1 failed"):
        sync_ctgov.apply(kwargs={"nct_ids": [NCT]})
    run = JobRun.objects.get(task_name="programs.sync_ctgov")
    assert run.status == JobStatus.FAILURE and f"{NCT}: {NCT}: ClinicalTrials.gov has no such study" in run.error
    assert run.args == [[NCT]] and state() == before


def test_the_task_leaves_the_rest_for_the_next_run_when_its_time_is_spent(registry, tracked: Trial) -> None:
    from programs.io.ctgov_sync import sync_trials

    report = sync_trials(deadline=0.0, clock=lambda: 1.0)
    assert report.not_reached == 1 and "1 not reached" in report.summary() and not registry.log


def test_beat_runs_the_sync_weekly(db: None) -> None:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="programs.sync_ctgov")
    assert task.enabled and task.crontab.day_of_week == "1" and (task.crontab.hour, task.crontab.minute) == ("4", "30")


def test_the_client_paces_requests_and_reads_retry_after_dates(registry) -> None:
    now = [100.0]
    asked: list[float] = []

    def sleep(seconds: float) -> None:
        asked.append(seconds)
        now[0] += seconds

    registry.expect_request(PATH).respond_with_json(record())
    client = CtgovClient(rate=2.0, sleep=sleep, clock=lambda: now[0])
    client.get_study(NCT)
    now[0] += 0.1
    client.get_study(NCT.lower())  # normalised
    assert asked == [pytest.approx(0.4)]  # 2 a second: 0.5 s apart
    assert ctgov_client._retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470.0) == pytest.approx(10.0)
    assert ctgov_client._retry_after("soon", 0.0) is None


def test_the_client_retries_a_refused_connection_then_says_so(settings, waits: list[float]) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = CtgovClient(base_url=f"http://127.0.0.1:{port}", max_retries=2, rate=50.0)
    with pytest.raises(CtgovUnreachable, match="could not be reached .* after 3 attempts"):
        client.get_study(NCT)
    assert [w for w in waits if w >= 1] == [1.0, 2.0]
    with pytest.raises(CtgovError, match="not an NCT id"):
        client.get_study("NCT1")
