from __future__ import annotations

from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    """Regulatory milestones, safety events and efficacy readouts."""

    name = "milestones"
    verbose_name = "Milestones and clinical data"
