"""How statistics are written: set-based statements, compare-and-write, snapshots, flags, the asset task."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from programs.derivation.derived import recompute_asset_changes
from programs.derivation.stats.compute import mark_groups_dirty, recompute_all, recompute_group
from programs.models import Asset, Statistic, StatisticGroup, StatisticSnapshot
from tests.factories import AssetPayloadFactory, SafetyEventFactory
from tests.stats.helpers import figures, records


def _statements(group: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        recompute_group(group)
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_it_writes_a_group_in_the_same_number_of_statements_whatever_its_size(demo_stats: None) -> None:
    few = _statements("ild_points")
    for _ in range(40):
        AssetPayloadFactory(asset=SafetyEventFactory(incidence_percent="2.5").asset)
    many = _statements("ild_points")
    assert many == few
    assert len(figures("ild_points")) == 3 + 40


@pytest.mark.django_db
def test_it_leaves_unchanged_figures_untouched_and_dates_the_group(demo_stats: None) -> None:
    before = dict(Statistic.objects.values_list("id", "computed_at"))
    group_before = StatisticGroup.objects.get(group="conjugation_method").computed_at
    assert recompute_group("conjugation_method") == 0  # nothing changed, nothing written
    Asset.objects.filter(code="JSKN021").update(conjugation_method="site_cysteine")
    assert recompute_group("conjugation_method") == 2  # site_cysteine added, site_glycan removed
    after = dict(Statistic.objects.values_list("id", "computed_at"))
    changed = {pk for pk in after if after[pk] != before.get(pk)}
    assert {s.key for s in Statistic.objects.filter(pk__in=changed)} == {"site_cysteine"}
    assert StatisticGroup.objects.get(group="conjugation_method").computed_at > group_before


@pytest.mark.django_db
def test_it_keeps_today_s_snapshot_equal_to_the_figures(demo_stats: None) -> None:
    Asset.objects.filter(code="BA1301").update(conjugation_method="site_glycan")
    recompute_group("conjugation_method")
    snapshot = dict(StatisticSnapshot.objects.filter(group="conjugation_method").values_list("key", "value"))
    assert snapshot == figures("conjugation_method")
    assert snapshot["site_glycan"] == 2 and "site_other" not in snapshot


@pytest.mark.django_db
def test_it_takes_the_mean_of_the_middle_two_for_an_even_median(demo_stats: None) -> None:
    codes = ["JSKN021", "BA1301", "T-DXd", "T-DM1"]
    for code, days in zip(codes, (10, 40, 60, 1000), strict=True):
        Asset.objects.filter(code=code).update(ind_to_dosing_days=days)
    recompute_group("ind_to_dosing")
    assert figures("ind_to_dosing") == {"median_days": 50.0}
    assert records("ind_to_dosing") == {"median_days": 4}


@pytest.mark.django_db
def test_it_recomputes_an_asset_in_a_handful_of_queries(demo_stats: None) -> None:
    asset = Asset.objects.get(code="BL-B01D1")  # a bispecific whose pair already exists
    with CaptureQueriesContext(connection) as ctx:
        recompute_asset_changes(asset.pk)
    # Transaction control (BEGIN, or a savepoint inside the test's transaction) is not a query.
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(control)]
    assert len(statements) <= 5, statements
    asset.refresh_from_db()
    for name in ("BL-B01D1", "EGFR", "ERBB3", "Bristol Myers Squibb"):
        assert name.lower() in asset.search_text.lower()


@pytest.mark.django_db
def test_it_reports_a_flip_once_and_keeps_the_time_of_the_first_edit(demo_stats: None) -> None:
    assert mark_groups_dirty(["target", "payload_class"]) == ["target", "payload_class"]
    first = StatisticGroup.objects.get(group="target").dirty_since
    assert first is not None
    assert mark_groups_dirty(["target", "highest_phase"]) == ["highest_phase"]
    state = StatisticGroup.objects.get(group="target")
    assert state.dirty and state.dirty_since == first and state.last_edit_at >= first
    recompute_group("target")
    assert mark_groups_dirty(["target"]) == ["target"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_writes_the_same_rows_when_two_workers_recompute_at_once(demo_data: None) -> None:
    # On SQLite the two runs take turns (one writer at a time); on PostgreSQL they overlap.
    recompute_all()
    expected = sorted(Statistic.objects.values_list("group", "key", "value", "records"))
    Statistic.objects.all().delete()
    StatisticSnapshot.objects.all().delete()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            recompute_all()
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    assert sorted(Statistic.objects.values_list("group", "key", "value", "records")) == expected
    assert StatisticSnapshot.objects.count() == len(expected)


@pytest.mark.django_db
def test_it_replaces_a_scratch_table_left_by_a_failed_call(demo_stats: None) -> None:
    with connection.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE stat_source (leftover INTEGER)")
    Asset.objects.filter(code="JSKN021").update(conjugation_method="site_cysteine")
    recompute_group("conjugation_method")
    assert figures("conjugation_method")["site_cysteine"] == 1
