"""Clinical trials as records: registry ids, design, status, sponsors, arms and dates.

A trial is what a registry (ClinicalTrials.gov, CTR, EU CT, jRCT, ...) describes; it links to the assets
it tests, and phase-start milestones link to it. Registry ids are validated and normalised here
(``nct03734029`` becomes ``NCT03734029``), so the CSV import, the CT.gov import, forms and the API
store one spelling and find the same trial. Nothing here fetches from a registry: that is
``programs.io.ctgov``'s job.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from milestones.vocab import DateType, InterventionRole, StudyType, TrialPhase, TrialStatus
from programs.dates import PreciseDate
from programs.models.base import TrackedModel
from programs.vocab import DatePrecision


class Registry(models.TextChoices):
    NCT = "nct", "ClinicalTrials.gov (NCT)"
    EUDRACT = "eudract", "EudraCT"
    EUCT = "euct", "EU CT (CTIS)"
    CTR = "ctr", "China Drug Trials (CTR)"
    CHICTR = "chictr", "ChiCTR"
    JRCT = "jrct", "jRCT"
    JAPIC = "japiccti", "JapicCTI"
    ACTRN = "actrn", "ANZCTR (ACTRN)"
    ISRCTN = "isrctn", "ISRCTN"
    KCT = "kct", "CRIS (KCT)"


# (registry, pattern matched case-insensitively, canonical spelling of the prefix). Order matters:
# the EU CT number (2023-501234-56-00) is an EudraCT-shaped number with a suffix.
_REGISTRY_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    (Registry.NCT, re.compile(r"^NCT(\d{8})$", re.I), "NCT"),
    (Registry.CHICTR, re.compile(r"^ChiCTR-?((?:[A-Z]{2,4}-)?\d{6,12})$", re.I), "ChiCTR"),
    (Registry.CTR, re.compile(r"^CTR(\d{8})$", re.I), "CTR"),
    (Registry.EUCT, re.compile(r"^(\d{4}-5\d{5}-\d{2}-\d{2})$"), ""),
    (Registry.EUDRACT, re.compile(r"^(?:EudraCT\s*)?(\d{4}-\d{6}-\d{2})$", re.I), ""),
    (Registry.JRCT, re.compile(r"^jRCT(\d{10})$", re.I), "jRCT"),
    (Registry.JAPIC, re.compile(r"^JapicCTI-?(\d{6})$", re.I), "JapicCTI-"),
    (Registry.ACTRN, re.compile(r"^ACTRN(\d{14})$", re.I), "ACTRN"),
    (Registry.ISRCTN, re.compile(r"^ISRCTN(\d{8})$", re.I), "ISRCTN"),
    (Registry.KCT, re.compile(r"^KCT(\d{7})$", re.I), "KCT"),
]

REGISTRY_HELP = ("NCT12345678, CTR20251234, ChiCTR2400012345, EudraCT 2020-001234-56, EU CT 2023-501234-56-00, "
                 "jRCT1234567890, JapicCTI-123456, ACTRN12345678901234, ISRCTN12345678, KCT1234567")


def normalize_registry_id(value: str) -> tuple[str, str]:
    """(registry, canonical id) of a registry id in any case; ``ValueError`` naming the accepted forms.

    The message quotes the value with ``repr`` and never formats it as a template.
    """
    text = "".join(str(value).split())
    for registry, pattern, prefix in _REGISTRY_PATTERNS:
        match = pattern.match(text)
        if match:
            return str(registry), prefix + match.group(1).upper()
    raise ValueError(f"{str(value)[:60]!r} is not a trial registry id ({REGISTRY_HELP}).")


def validate_registry_id(value: str) -> None:
    try:
        normalize_registry_id(value)
    except ValueError as exc:
        # The text quotes the user's value: a parameter, never part of the template.
        raise ValidationError("%(message)s", code="invalid", params={"message": str(exc)}) from None


class Trial(TrackedModel):
    """One clinical study, as its registries describe it."""

    acronym = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=500, blank=True)
    phases = models.JSONField(default=list, blank=True, help_text="Registry phases: EARLY_PHASE1, PHASE1 ... NA.")
    study_type = models.CharField(max_length=20, choices=StudyType.choices, default=StudyType.INTERVENTIONAL)
    overall_status = models.CharField(max_length=30, choices=TrialStatus.choices, default=TrialStatus.UNKNOWN)
    why_stopped = models.TextField(blank=True)
    lead_sponsor = models.ForeignKey(
        "programs.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="sponsored_trials"
    )
    collaborators = models.ManyToManyField("programs.Company", blank=True, related_name="collaborated_trials")
    conditions = models.ManyToManyField("programs.Indication", blank=True, related_name="trials")
    countries = models.JSONField(default=list, blank=True, help_text="Country names as the registry lists them.")
    enrollment = models.PositiveIntegerField(null=True, blank=True)
    enrollment_type = models.CharField(max_length=10, choices=DateType.choices, blank=True, default="",
                                       help_text="ACTUAL or ESTIMATED (anticipated).")
    start_date = models.DateField(null=True, blank=True)
    start_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    start_type = models.CharField(max_length=10, choices=DateType.choices, blank=True, default="")
    primary_completion_date = models.DateField(null=True, blank=True)
    primary_completion_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    primary_completion_type = models.CharField(max_length=10, choices=DateType.choices, blank=True, default="")
    completion_date = models.DateField(null=True, blank=True)
    completion_precision = models.CharField(max_length=10, choices=DatePrecision.choices,
                                            default=DatePrecision.UNKNOWN)
    completion_type = models.CharField(max_length=10, choices=DateType.choices, blank=True, default="")
    assets = models.ManyToManyField("programs.Asset", blank=True, related_name="trials")
    source = models.ForeignKey("programs.Source", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="trials")
    synced_at = models.DateTimeField(null=True, blank=True, editable=False,
                                     help_text="Last refresh from ClinicalTrials.gov.")

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [
            models.Index(fields=["overall_status"], name="trial_status_idx"),
            models.Index(fields=["start_date"], name="trial_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(completion_date__isnull=True)
                | Q(completion_date__gte=models.F("start_date")), name="trial_completion_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(primary_completion_date__isnull=True)
                | Q(primary_completion_date__gte=models.F("start_date")),
                name="trial_primary_completion_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym or self.title[:80] or f"trial {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("milestones:trial_detail", args=[self.pk])

    @property
    def start(self) -> PreciseDate:
        return PreciseDate(self.start_date, self.start_precision)

    @property
    def primary_completion(self) -> PreciseDate:
        return PreciseDate(self.primary_completion_date, self.primary_completion_precision)

    @property
    def completion(self) -> PreciseDate:
        return PreciseDate(self.completion_date, self.completion_precision)

    @property
    def phase_label(self) -> str:
        labels = dict(TrialPhase.choices)
        return " / ".join(str(labels.get(p, p)) for p in self.phases) or "—"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        phases = self.phases if isinstance(self.phases, list) else None
        if phases is None or any(p not in TrialPhase.values for p in phases):
            errors.setdefault("phases", []).append(
                "Phases are a list of: " + ", ".join(TrialPhase.values) + "."
            )
        elif TrialPhase.NA in phases and len(phases) > 1:
            errors.setdefault("phases", []).append("'Not applicable' cannot be combined with a phase.")
        if not isinstance(self.countries, list) or not all(isinstance(c, str) for c in self.countries):
            errors.setdefault("countries", []).append("Countries are a list of names.")
        for name, label in (("completion_date", "completion"), ("primary_completion_date", "primary completion")):
            end = getattr(self, name)
            if end and self.start_date and end < self.start_date:
                errors.setdefault(name, []).append(
                    f"The {label} ({getattr(self, name.replace('_date', ''))}) cannot come before the start "
                    f"({self.start})."
                )
        if errors:
            raise ValidationError(errors)


class TrialRegistryId(TrackedModel):
    """One registry's id of a trial; a trial registered in several places has several."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="registry_ids")
    registry = models.CharField(max_length=10, choices=Registry.choices, editable=False)
    value = models.CharField(max_length=40, validators=[validate_registry_id])

    class Meta:
        ordering = ["trial", "registry", "value"]
        constraints = [
            models.UniqueConstraint(fields=["value"], name="trial_registry_id_unique",
                                    violation_error_message="This registry id already names another trial."),
        ]

    def __str__(self) -> str:
        return self.value

    def before_write(self) -> None:
        self.registry, self.value = normalize_registry_id(self.value)


class TrialArm(TrackedModel):
    """One arm (group) of a trial; its interventions make its regimen."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="arms")
    label = models.CharField(max_length=300)
    arm_type = models.CharField(max_length=40, blank=True, help_text="EXPERIMENTAL, ACTIVE_COMPARATOR, ...")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["trial", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def regimen(self) -> str:
        """"EV + pembrolizumab": the arm's interventions in order; "monotherapy" when one asset alone."""
        return " + ".join(i.name for i in self.interventions.all())


class TrialIntervention(TrackedModel):
    """One intervention of an arm, as this asset, a combination partner, a comparator or a placebo."""

    arm = models.ForeignKey(TrialArm, on_delete=models.CASCADE, related_name="interventions")
    name = models.CharField(max_length=300)
    role = models.CharField(max_length=12, choices=InterventionRole.choices)
    asset = models.ForeignKey("programs.Asset", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="trial_interventions")

    class Meta:
        ordering = ["arm", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(role="asset") | Q(asset__isnull=False),
                                   name="trial_intervention_asset_role"),
        ]

    def __str__(self) -> str:
        return self.name
