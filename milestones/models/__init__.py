"""Models of the milestones app."""

from __future__ import annotations

from milestones.models.clinical import EfficacyReadout, SafetyEvent, SafetyMeasure
from milestones.models.milestones import Milestone, validate_trial_id

__all__ = ["EfficacyReadout", "Milestone", "SafetyEvent", "SafetyMeasure", "validate_trial_id"]
