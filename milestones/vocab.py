"""Vocabularies of milestones, safety events and efficacy readouts."""

from __future__ import annotations

from django.db import models


class MilestoneKind(models.TextChoices):
    IND_SUBMITTED = "ind_submitted", "IND submitted"
    IND_ACCEPTED = "ind_accepted", "IND accepted"
    IND_CLEARED = "ind_cleared", "IND cleared / approved"
    CTA_APPROVED = "cta_approved", "CTA approved"
    FIRST_PATIENT_DOSED = "first_patient_dosed", "First patient dosed"
    PHASE_STARTED = "phase_started", "Phase started"
    BREAKTHROUGH = "breakthrough", "Breakthrough Therapy designation"
    FAST_TRACK = "fast_track", "Fast Track designation"
    ORPHAN_DRUG = "orphan_drug", "Orphan Drug designation"
    PRIORITY_REVIEW = "priority_review", "Priority Review"
    FILING_SUBMITTED = "filing_submitted", "BLA/NDA submitted"
    FILING_ACCEPTED = "filing_accepted", "BLA/NDA accepted"
    APPROVAL = "approval", "Approval"
    CLINICAL_HOLD = "clinical_hold", "Clinical hold"
    HOLD_LIFTED = "hold_lifted", "Clinical hold lifted"
    DISCONTINUATION = "discontinuation", "Withdrawal / discontinuation"

    @classmethod
    def ind_kinds(cls) -> tuple[str, ...]:
        return (cls.IND_SUBMITTED, cls.IND_ACCEPTED, cls.IND_CLEARED, cls.CTA_APPROVED)

    @classmethod
    def designations(cls) -> tuple[str, ...]:
        return (cls.BREAKTHROUGH, cls.FAST_TRACK, cls.ORPHAN_DRUG, cls.PRIORITY_REVIEW)


class Agency(models.TextChoices):
    NONE = "", "—"
    FDA = "FDA", "FDA (United States)"
    NMPA = "NMPA", "NMPA (China)"
    EMA = "EMA", "EMA (European Union)"
    PMDA = "PMDA", "PMDA (Japan)"
    MFDS = "MFDS", "MFDS (South Korea)"
    MHRA = "MHRA", "MHRA (United Kingdom)"
    HEALTH_CANADA = "HC", "Health Canada"
    TGA = "TGA", "TGA (Australia)"
    SWISSMEDIC = "SMC", "Swissmedic"
    ANVISA = "ANVISA", "ANVISA (Brazil)"
    CDSCO = "CDSCO", "CDSCO (India)"
    TFDA = "TFDA", "TFDA (Taiwan)"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OCCURRED = "occurred", "Occurred"
    CANCELLED = "cancelled", "Cancelled"


class SafetyCategory(models.TextChoices):
    ILD = "ild", "Interstitial lung disease / pneumonitis"
    OCULAR = "ocular", "Ocular"
    HEMATOLOGICAL = "hematological", "Hematological"
    GASTROINTESTINAL = "gastrointestinal", "Gastrointestinal"
    HEPATIC = "hepatic", "Hepatic"
    NEUROPATHY = "neuropathy", "Peripheral neuropathy"
    INFUSION = "infusion", "Infusion reaction"
    DEATH = "death", "Death"
    OTHER = "other", "Other"


class GradeBand(models.TextChoices):
    ANY = "any", "Any grade"
    GRADE_3_PLUS = "grade_3_plus", "Grade ≥ 3"
    SINGLE = "single", "Single grade"


class Assessment(models.TextChoices):
    """Whether an incidence was assessed: "not assessed" is not 0 %."""

    REPORTED = "reported", "Reported"
    NOT_ASSESSED = "not_assessed", "Not assessed"
    NOT_REPORTED = "not_reported", "Assessed, figure not reported"


class Endpoint(models.TextChoices):
    ORR = "orr", "Objective response rate (ORR)"
    DCR = "dcr", "Disease control rate (DCR)"
    CBR = "cbr", "Clinical benefit rate"
    CR = "cr", "Complete response rate"
    MPFS = "mpfs", "Median progression-free survival"
    MOS = "mos", "Median overall survival"
    MDOR = "mdor", "Median duration of response"
    OTHER = "other", "Other"


class EfficacyUnit(models.TextChoices):
    PERCENT = "percent", "%"
    MONTHS = "months", "months"
    WEEKS = "weeks", "weeks"
    OTHER = "other", "other"


class LineOfTherapy(models.TextChoices):
    UNKNOWN = "", "—"
    FIRST = "1L", "First line"
    SECOND = "2L", "Second line"
    THIRD_PLUS = "3L+", "Third line or later"
    LATER = "2L+", "Second line or later"
    ADJUVANT = "adjuvant", "Adjuvant / neoadjuvant"
