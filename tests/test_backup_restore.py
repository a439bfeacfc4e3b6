"""backup → restore reproduces every row (counts and content hashes) on SQLite and PostgreSQL, with
every timestamp to the microsecond."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from adctrack.backup import digest, empty_backed_up_tables
from programs.models import Asset


def _empty_the_database() -> None:
    empty_backed_up_tables(connection)


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_it_round_trips_all_data_with_history(demo_data: None, tmp_path: Path, name: str) -> None:
    get_user_model().objects.create_user("dana", password="round-trip-pass-1")
    asset = Asset.objects.order_by("pk").first()
    asset.description = "edited once, so history has two rows"
    asset.save()
    # Sub-millisecond times, which Django's JSON would cut to .000 and a restore would change.
    exact = dt.datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=dt.UTC)
    Asset.objects.filter(pk=asset.pk).update(updated_at=exact, created_at=exact - dt.timedelta(microseconds=1))
    history = asset.history.order_by("-history_id").first()
    type(history).objects.filter(pk=history.pk).update(history_date=exact + dt.timedelta(microseconds=7))
    before = digest()
    assert before["programs.HistoricalAsset"][0] > before["programs.Asset"][0] > 0
    path = tmp_path / name
    call_command("backup", str(path), verbosity=0)
    _empty_the_database()
    assert digest()["programs.Asset"][0] == 0
    call_command("restore", str(path), verbosity=0)
    assert digest() == before
    restored = Asset.objects.get(pk=asset.pk)
    assert (restored.updated_at, restored.created_at) == (exact, exact - dt.timedelta(microseconds=1))
    assert type(history).objects.get(pk=history.pk).history_date == exact + dt.timedelta(microseconds=7)


def test_it_refuses_a_database_with_data_unless_forced(demo_data: None, tmp_path: Path) -> None:
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), verbosity=0)
    before = digest()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path), verbosity=0)
    call_command("restore", str(path), force=True, verbosity=0)
    assert digest() == before


def test_it_restores_into_a_freshly_migrated_database_without_force(demo_data: None, tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    call_command("backup", str(path), verbosity=0)
    before = digest()
    _empty_the_database()
    call_command("migrate", "programs", verbosity=0)  # nothing to apply; reference targets stay as shipped
    call_command("restore", str(path), verbosity=0)
    assert digest() == before


def test_it_leaves_the_database_untouched_when_the_file_is_broken(demo_data: None, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    call_command("backup", str(good), verbosity=0)
    broken = tmp_path / "broken.json"
    broken.write_text(good.read_text()[: len(good.read_text()) // 2])
    before = digest()
    with pytest.raises(Exception):  # noqa: B017 - loaddata's DeserializationError, wrapped or not
        call_command("restore", str(broken), force=True, verbosity=0)
    assert digest() == before
