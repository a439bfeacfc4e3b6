"""Models of the milestones app."""

from __future__ import annotations

from milestones.models.clinical import EfficacyReadout, SafetyEvent, SafetyMeasure
from milestones.models.milestones import Milestone, validate_trial_id
from milestones.models.regulatory import RegulatoryStatus
from milestones.models.trials import (
    Registry,
    Trial,
    TrialArm,
    TrialIntervention,
    TrialRegistryId,
    normalize_registry_id,
)

__all__ = [
    "EfficacyReadout", "Milestone", "Registry", "RegulatoryStatus", "SafetyEvent", "SafetyMeasure", "Trial", "TrialArm",
    "TrialIntervention", "TrialRegistryId", "normalize_registry_id", "validate_trial_id",
]
