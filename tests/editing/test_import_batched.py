"""The batched milestones import: queries bounded whatever the row count, and the bulk writes keep what a
save gives (history with its user, version, the plan of a planned event, one coalesced recompute)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milestones.models import Milestone
from programs.io.columns import MILESTONE_COLUMNS
from programs.io.importers import import_csv
from programs.models import Asset, Indication, Source
from programs.readpath import data_version
from programs.tasks import recompute_asset, recompute_assets
from tests.factories import AssetFactory, MilestoneFactory, SourceFactory

# A file in the column order of the first contract, without the newer columns: headers are read by name,
# so old files still import.
HEADER = "asset,kind,agency,date,status,phase,indication,trial_id,source_url,source_title"
KINDS = ["fast_track", "orphan_drug", "breakthrough", "priority_review"]
BASE = dt.date(2020, 1, 1)


def _rows(assets: list[Asset], n: int, start: int) -> list[str]:
    """``n`` rows over ``assets``: each with a new source, every third with an indication (new ones too)."""
    out = []
    for i in range(start, start + n):
        asset = assets[i % len(assets)]
        day = BASE + dt.timedelta(days=i)
        indication = f"Indication {i % 7}" if i % 3 == 0 else ""
        out.append(f"{asset.code},{KINDS[i % len(KINDS)]},FDA,{day.isoformat()},occurred,,{indication},,"
                   f"https://bulk.example.com/{i},Story {i}")
    return out


def _existing(assets: list[Asset], n: int, start: int) -> None:
    """Milestones the rows ``start..start+n`` will update (same key, another source, no title yet)."""
    for i in range(start, start + n):  # the indication is part of the key
        indication = Indication.objects.get_or_create(name=f"Indication {i % 7}")[0] if i % 3 == 0 else None
        MilestoneFactory(asset=assets[i % len(assets)], kind=KINDS[i % len(KINDS)], agency="FDA",
                         date=BASE + dt.timedelta(days=i), indication=indication)


def _queries_of_import(assets: list[Asset], n: int, start: int, capture) -> int:  # type: ignore[no-untyped-def]
    _existing(assets, n // 5, start)  # a fifth of the rows update, the rest create
    Asset.objects.update(derived_dirty=False)  # current, so the import pays for their recompute too
    text = "\n".join([HEADER, *_rows(assets, n, start)])
    with CaptureQueriesContext(connection) as queries, capture(execute=True):  # recompute counted too
        report = import_csv("milestones", text)
    assert report.ok, report.as_text()
    assert report.counts()["created"] == n - n // 5 and report.counts()["updated"] == n // 5
    assert not Asset.objects.filter(derived_dirty=True).exists()  # the recompute ran (and was counted)
    return len(queries)


def test_it_imports_100_rows_in_about_the_queries_of_10(db, django_capture_on_commit_callbacks) -> None:
    assets = [AssetFactory() for _ in range(5)]
    small = _queries_of_import(assets, 10, 0, django_capture_on_commit_callbacks)
    large = _queries_of_import(assets, 100, 1000, django_capture_on_commit_callbacks)
    # Lookups are batched and rows written in bulk: 90 more rows cost only the extra bulk statements
    # SQLite's 999-parameter limit splits them into (about 60 milestones or 45 history rows each).
    assert large - small <= 9, (small, large)
    assert Milestone.objects.count() == 110


def test_it_runs_a_dry_run_without_a_single_write(db) -> None:
    assets = [AssetFactory() for _ in range(3)]
    text = "\n".join([HEADER, *_rows(assets, 30, 0)])
    with CaptureQueriesContext(connection) as queries:
        report = import_csv("milestones", text, dry_run=True)
    assert report.ok and report.counts()["created"] == 30
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert not Milestone.objects.exists() and not Source.objects.filter(url__contains="bulk.example").exists()


def test_it_records_history_with_the_uploader_and_bumps_the_version(db, login, users) -> None:
    asset = AssetFactory(code="JS212")
    old = MilestoneFactory(asset=asset, kind="fast_track", agency="FDA", date=BASE, date_precision="day")
    rows = [f"JS212,fast_track,FDA,{BASE.isoformat()},occurred,,,,https://e.com/u,U",
            f"JS212,orphan_drug,FDA,{BASE.isoformat()},occurred,,,,https://e.com/c,C"]
    upload = SimpleUploadedFile("m.csv", "\n".join([HEADER, *rows]).encode())
    login("editor").post(reverse("programs:import_csv"), {"table": "milestones", "file": upload})
    old.refresh_from_db()
    assert (old.version, old.source.url) == (2, "https://e.com/u")
    assert [h.history_type for h in old.history.order_by("history_id")] == ["+", "~"]
    assert old.history.latest("history_id").history_user == users["editor"]
    new = Milestone.objects.get(kind="orphan_drug")
    assert new.version == 1 and new.history.get().history_type == "+"
    assert new.history.get().history_user == users["editor"]
    source = Source.objects.get(url="https://e.com/c")
    assert source.history.get().history_user == users["editor"]


def test_it_queues_one_recompute_for_many_rows_of_many_assets(db, django_capture_on_commit_callbacks) -> None:
    assets = [AssetFactory() for _ in range(4)]
    Asset.objects.update(derived_dirty=False)
    rows = [f"{a.code},ind_cleared,FDA,2024-0{m},occurred,,,,https://e.com/{a.pk},S" for a in assets
            for m in range(1, 6)]
    with mock.patch.object(recompute_assets, "apply_async") as batch, \
            mock.patch.object(recompute_asset, "apply_async") as single, \
            django_capture_on_commit_callbacks(execute=True):
        report = import_csv("milestones", "\n".join([HEADER, *rows]))
    assert report.ok, report.as_text()
    assert single.call_count == 0
    assert batch.call_count == 1 and batch.call_args.kwargs["args"] == [sorted(a.pk for a in assets)]
    assert Asset.objects.filter(derived_dirty=True).count() == 4


def test_it_recomputes_the_derived_facts_after_the_import(db, django_capture_on_commit_callbacks) -> None:
    asset = AssetFactory(code="JS212")
    Asset.objects.update(derived_dirty=False)
    with django_capture_on_commit_callbacks(execute=True):
        report = import_csv("milestones", f"{HEADER}\nJS212,ind_cleared,NMPA,2024-05,occurred,,,,https://e.com/x,X")
    assert report.ok, report.as_text()
    asset.refresh_from_db()
    assert (asset.highest_phase, asset.derived_dirty, asset.first_ind) == ("ind", False, {"NMPA": "2024-05-01"})


def test_it_keeps_the_plan_and_moves_the_data_version(db) -> None:
    AssetFactory(code="JS212")
    version = data_version.current()
    report = import_csv("milestones", f"{HEADER}\nJS212,phase_started,,Q2 2099,planned,Phase 1,,,https://e.com/p,P")
    assert report.ok, report.as_text()
    assert data_version.current() > version  # cached facet counts see the new row (no post_save was sent)
    m = Milestone.objects.get()
    assert (m.planned_date, m.planned_precision) == (dt.date(2099, 4, 1), "quarter")


def test_it_fills_an_empty_source_title_and_never_overwrites_one(db) -> None:
    AssetFactory(code="JS212")
    SourceFactory(url="https://e.com/t", title="")
    row = "JS212,fast_track,FDA,2024-01-02,occurred,,,,https://e.com/t,{title}"
    assert import_csv("milestones", f"{HEADER}\n{row.format(title='First')}").ok
    assert import_csv("milestones", f"{HEADER}\n{row.format(title='Second')}").ok
    source = Source.objects.get(url="https://e.com/t")
    assert (source.title, source.version) == ("First", 2)


def test_it_judges_later_rows_against_the_record_not_a_rejected_row(db) -> None:
    asset = AssetFactory(code="JS212")
    source = SourceFactory(url="https://e.com/k", title="K")
    MilestoneFactory(asset=asset, kind="fast_track", agency="FDA", date=BASE, source=source)
    good = f"JS212,fast_track,FDA,{BASE.isoformat()},occurred,,,,https://e.com/k,K"
    bad = f"JS212,fast_track,FDA,{BASE.isoformat()},occurred,,Some indication,not-a-trial,https://e.com/z,Z"
    report = import_csv("milestones", "\n".join([HEADER, bad, good]))
    assert [r.action for r in report.rows] == ["error", "unchanged"]
    assert report.errors[0][:2] == (2, "trial_id")
    assert not Indication.objects.filter(name="Some indication").exists()


def test_it_writes_nothing_and_explains_when_a_concurrent_writer_wins(db) -> None:
    AssetFactory(code="JS212")
    text = f"{HEADER}\nJS212,fast_track,FDA,2024-01-02,occurred,,New indication,,https://e.com/w,W"
    with mock.patch("programs.io.importers.milestones.update_with_history", side_effect=IntegrityError("unique")):
        report = import_csv("milestones", text)
    assert not report.ok and "Run the import again" in report.errors[0][2]
    assert not Milestone.objects.exists()
    assert not Source.objects.filter(url="https://e.com/w").exists()
    assert not Indication.objects.filter(name="New indication").exists()


@pytest.mark.parametrize("rows", [1, 3])
def test_it_writes_a_key_repeated_in_the_file_once_with_its_last_values(db, rows: int) -> None:
    AssetFactory(code="JS212")
    lines = [f"JS212,fast_track,FDA,2024-01-02,occurred,,,,https://e.com/r{i},R{i}" for i in range(rows)]
    report = import_csv("milestones", "\n".join([HEADER, *lines]))
    assert [r.action for r in report.rows] == ["created"] + ["updated"] * (rows - 1)
    m = Milestone.objects.get()
    assert m.source.url == f"https://e.com/r{rows - 1}" and m.history.count() == 1


@pytest.mark.parametrize(("cells", "column"), [
    ({"indication": "x" * 201}, "indication"), ({"source_title": "t" * 501}, "source_title"),
    ({"source_url": "https://e.com/" + "u" * 990}, "source_url"),
])
def test_it_reports_a_cell_too_long_for_its_column(db, cells: dict[str, str], column: str) -> None:
    AssetFactory(code="JS212")
    values = dict.fromkeys(MILESTONE_COLUMNS, "")
    values.update({"asset": "JS212", "kind": "fast_track", "date": "2024-01-02", "source_url": "https://e.com/l"},
                  **cells)
    report = import_csv("milestones", ",".join(values) + "\n" + ",".join(values.values()))
    assert [e[:2] for e in report.errors] == [(2, column)] and "At most" in report.errors[0][2]
    assert not Milestone.objects.exists()
