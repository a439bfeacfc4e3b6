"""Small readers of the Statistic table for assertions."""

from __future__ import annotations

from programs.models import Statistic


def figures(group: str) -> dict[str, float]:
    """Key -> value of one group."""
    return dict(Statistic.objects.filter(group=group).values_list("key", "value"))


def records(group: str) -> dict[str, int]:
    """Key -> number of records behind the figure."""
    return dict(Statistic.objects.filter(group=group).values_list("key", "records"))
