"""Vocabularies of milestones, safety events and efficacy readouts."""

from __future__ import annotations

from django.db import models

from programs.vocab import SYNONYMS


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
    # A sponsor stopping development (asset- or indication-wide, no agency needed); an agency taking
    # an authorisation back is AUTHORISATION_WITHDRAWN, scoped to an indication at an agency.
    DISCONTINUATION = "discontinuation", "Development discontinued"
    COMPLETE_RESPONSE = "crl", "Complete response letter"
    ADVISORY_COMMITTEE = "advisory_committee", "Advisory committee meeting"
    TARGET_ACTION_DATE = "target_action_date", "Target action date (PDUFA)"
    REVIEW_EXTENDED = "review_extended", "Review extended"
    CHMP_OPINION = "chmp_opinion", "CHMP opinion"
    AUTHORISATION_WITHDRAWN = "authorisation_withdrawn", "Marketing authorisation withdrawn"
    AUTHORISATION_LAPSED = "authorisation_lapsed", "Conditional authorisation lapsed / not renewed"
    LABEL_EXPANSION = "label_expansion", "Label expansion"
    PRIME = "prime", "PRIME designation (EMA)"
    SAKIGAKE = "sakigake", "Sakigake designation (Japan)"

    @classmethod
    def ind_kinds(cls) -> tuple[str, ...]:
        return (cls.IND_SUBMITTED, cls.IND_ACCEPTED, cls.IND_CLEARED, cls.CTA_APPROVED)

    @classmethod
    def designations(cls) -> tuple[str, ...]:
        return (cls.BREAKTHROUGH, cls.FAST_TRACK, cls.ORPHAN_DRUG, cls.PRIORITY_REVIEW, cls.PRIME, cls.SAKIGAKE)

    @classmethod
    def authorisations(cls) -> tuple[str, ...]:
        """Kinds that grant a marketing authorisation for an indication at an agency."""
        return (cls.APPROVAL, cls.LABEL_EXPANSION)

    @classmethod
    def needs_agency(cls) -> tuple[str, ...]:
        """Kinds that only an agency can issue: refused without one."""
        return (cls.APPROVAL, cls.LABEL_EXPANSION, cls.AUTHORISATION_WITHDRAWN, cls.AUTHORISATION_LAPSED,
                cls.COMPLETE_RESPONSE, cls.ADVISORY_COMMITTEE, cls.TARGET_ACTION_DATE, cls.REVIEW_EXTENDED,
                cls.CHMP_OPINION, cls.PRIME, cls.SAKIGAKE, cls.CLINICAL_HOLD, cls.HOLD_LIFTED)


class ApprovalType(models.TextChoices):
    """How an authorisation was granted; a full one after an accelerated or conditional one for the
    same indication and agency is a conversion."""

    NONE = "", "—"
    FULL = "full", "Full (regular)"
    ACCELERATED = "accelerated", "Accelerated"
    CONDITIONAL = "conditional", "Conditional"


class Outcome(models.TextChoices):
    """The outcome of an advisory committee vote or a CHMP opinion."""

    NONE = "", "—"
    FAVOURABLE = "favourable", "Favourable"
    UNFAVOURABLE = "unfavourable", "Unfavourable"
    SPLIT = "split", "Split"
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"

    @classmethod
    def allowed(cls, kind: str) -> tuple[str, ...]:
        """The outcomes a milestone of ``kind`` may carry (none for other kinds)."""
        if kind == MilestoneKind.ADVISORY_COMMITTEE:
            return (cls.FAVOURABLE, cls.UNFAVOURABLE, cls.SPLIT)
        if kind == MilestoneKind.CHMP_OPINION:
            return (cls.POSITIVE, cls.NEGATIVE)
        return ()


class HoldType(models.TextChoices):
    NONE = "", "—"
    FULL = "full", "Full"
    PARTIAL = "partial", "Partial"


class Agency(models.TextChoices):
    NONE = "", "—"
    FDA = "FDA", "FDA (United States)"
    NMPA = "NMPA", "NMPA (China)"
    EMA = "EMA", "EMA (European Union)"
    # The EU's marketing authorisations are European Commission decisions after a CHMP opinion;
    # Japan's approvals are MHLW's after PMDA review.
    EC = "EC", "European Commission"
    MHLW = "MHLW", "MHLW (Japan)"
    PMDA = "PMDA", "PMDA (Japan)"
    MFDS = "MFDS", "MFDS (South Korea)"
    MHRA = "MHRA", "MHRA (United Kingdom)"
    HEALTH_CANADA = "HC", "Health Canada"
    TGA = "TGA", "TGA (Australia)"
    SWISSMEDIC = "SMC", "Swissmedic"
    ANVISA = "ANVISA", "ANVISA (Brazil)"
    CDSCO = "CDSCO", "CDSCO (India)"
    TFDA = "TFDA", "TFDA (Taiwan)"


class RegulatoryState(models.TextChoices):
    """The derived state of an asset for one (indication, agency): ``programs.regulatory``."""

    IN_DEVELOPMENT = "in_development", "In development"
    FILED = "filed", "Filed"
    APPROVED = "approved", "Approved"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LAPSED = "lapsed", "Lapsed"
    DISCONTINUED = "discontinued", "Development discontinued"


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


class TrialPhase(models.TextChoices):
    """Trial phases as registries state them (ClinicalTrials.gov v2 ``phases``); never invented."""

    EARLY_PHASE1 = "EARLY_PHASE1", "Early phase 1"
    PHASE1 = "PHASE1", "Phase 1"
    PHASE2 = "PHASE2", "Phase 2"
    PHASE3 = "PHASE3", "Phase 3"
    PHASE4 = "PHASE4", "Phase 4"
    NA = "NA", "Not applicable"


class StudyType(models.TextChoices):
    INTERVENTIONAL = "INTERVENTIONAL", "Interventional"
    OBSERVATIONAL = "OBSERVATIONAL", "Observational"
    EXPANDED_ACCESS = "EXPANDED_ACCESS", "Expanded access"


class TrialStatus(models.TextChoices):
    """ClinicalTrials.gov's overall status vocabulary."""

    NOT_YET_RECRUITING = "NOT_YET_RECRUITING", "Not yet recruiting"
    RECRUITING = "RECRUITING", "Recruiting"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION", "Enrolling by invitation"
    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING", "Active, not recruiting"
    SUSPENDED = "SUSPENDED", "Suspended"
    TERMINATED = "TERMINATED", "Terminated"
    COMPLETED = "COMPLETED", "Completed"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"
    UNKNOWN = "UNKNOWN", "Unknown"


class DateType(models.TextChoices):
    """Whether a trial date happened (actual) or is expected (estimated / anticipated)."""

    NONE = "", "—"
    ACTUAL = "ACTUAL", "Actual"
    ESTIMATED = "ESTIMATED", "Estimated"


class InterventionRole(models.TextChoices):
    """What an intervention is in an arm's regimen."""

    ASSET = "asset", "This asset"
    PARTNER = "partner", "Combination partner"
    COMPARATOR = "comparator", "Comparator"
    PLACEBO = "placebo", "Placebo"


# Synonyms the imports and forms accept next to the stored values and labels (``programs.vocab``).
SYNONYMS.update({
    MilestoneKind: {
        "crl": "crl", "complete response": "crl", "adcomm": "advisory_committee", "odac": "advisory_committee",
        "advisory committee": "advisory_committee", "pdufa": "target_action_date",
        "pdufa date": "target_action_date", "target action date": "target_action_date",
        "chmp": "chmp_opinion", "chmp positive opinion": "chmp_opinion", "withdrawal": "authorisation_withdrawn",
        "marketing authorization withdrawn": "authorisation_withdrawn", "withdrawn": "authorisation_withdrawn",
        "lapsed": "authorisation_lapsed", "discontinued": "discontinuation", "discontinuation": "discontinuation",
        "withdrawal / discontinuation": "discontinuation", "development discontinued": "discontinuation",
        "btd": "breakthrough", "breakthrough therapy": "breakthrough", "breakthrough": "breakthrough",
        "ind clearance": "ind_cleared", "ind approval": "ind_cleared", "ind approved": "ind_cleared",
        "ind cleared": "ind_cleared", "bla submitted": "filing_submitted", "nda submitted": "filing_submitted",
        "bla accepted": "filing_accepted", "nda accepted": "filing_accepted", "marketing authorisation": "approval",
        "marketing authorization": "approval", "accelerated approval": "approval", "conditional approval": "approval",
        "full approval": "approval", "regular approval": "approval", "new indication": "label_expansion",
        "supplemental approval": "label_expansion", "hold": "clinical_hold", "partial clinical hold": "clinical_hold",
        "hold lifted": "hold_lifted", "extension": "review_extended",
    },
    Agency: {
        "european commission": "EC", "commission": "EC", "mhlw": "MHLW", "ministry of health, labour and welfare":
        "MHLW", "us fda": "FDA", "u.s. fda": "FDA", "food and drug administration": "FDA", "china nmpa": "NMPA",
        "national medical products administration": "NMPA", "cde": "NMPA", "european medicines agency": "EMA",
        "chmp": "EMA", "health canada": "HC", "swissmedic": "SMC",
    },
    ApprovalType: {"regular": "full", "standard": "full", "traditional": "full", "full approval": "full",
                   "accelerated approval": "accelerated", "conditional approval": "conditional",
                   "conditional marketing authorisation": "conditional"},
    Outcome: {"favorable": "favourable", "unfavorable": "unfavourable", "positive opinion": "positive",
              "negative opinion": "negative", "for": "favourable", "against": "unfavourable"},
    TrialPhase: {"early phase 1": "EARLY_PHASE1", "phase 0": "EARLY_PHASE1", "phase 1": "PHASE1",
                 "phase i": "PHASE1", "phase 2": "PHASE2", "phase ii": "PHASE2", "phase 3": "PHASE3",
                 "phase iii": "PHASE3", "phase 4": "PHASE4", "phase iv": "PHASE4", "n/a": "NA",
                 "not applicable": "NA"},
    TrialStatus: {"active": "ACTIVE_NOT_RECRUITING", "ongoing": "ACTIVE_NOT_RECRUITING"},
})

#: Kind synonyms that also say the approval type ("accelerated approval" -> approval, accelerated).
KIND_APPROVAL_TYPES: dict[str, str] = {
    "accelerated approval": "accelerated", "conditional approval": "conditional", "full approval": "full",
    "regular approval": "full", "conditional marketing authorisation": "conditional",
}
