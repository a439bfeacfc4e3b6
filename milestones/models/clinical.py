"""Clinical data: safety events, other safety measures and efficacy readouts."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from milestones.vocab import Assessment, EfficacyUnit, Endpoint, GradeBand, LineOfTherapy, SafetyCategory
from programs.dates import PreciseDate
from programs.models.base import TrackedModel
from programs.vocab import DatePrecision

# The ``figure`` properties delegate to these functions of plain values, so that pages reading rows
# with ``.values()`` (the asset page) print the same figures without model instances.
_ASSESSMENTS: dict[str, str] = dict(Assessment.choices)
_UNITS: dict[str, str] = dict(EfficacyUnit.choices)


def safety_figure(assessment: str, n: int | None, n_total: int | None, incidence_percent: Decimal | None) -> str:
    """``SafetyEvent.figure``: "0.6 %", "3/176 (1.7 %)", "not assessed"."""
    if assessment != Assessment.REPORTED:
        return str(_ASSESSMENTS.get(assessment, assessment)).lower()
    parts = []
    if n is not None and n_total is not None:
        parts.append(f"{n}/{n_total}")
    if incidence_percent is not None:
        pct = f"{incidence_percent.normalize():f} %"
        parts.append(f"({pct})" if parts else pct)
    return " ".join(parts) or "reported, no figure"


def efficacy_figure(value: Decimal, unit: str) -> str:
    """``EfficacyReadout.figure``: "32 %", "7.1 months"."""
    return f"{value.normalize():f} {_UNITS.get(unit, unit)}"


class StudyFields(TrackedModel):
    """What every clinical figure carries: its asset, study, data cut-off and source."""

    asset = models.ForeignKey("programs.Asset", on_delete=models.PROTECT, related_name="%(class)ss")
    study = models.CharField(max_length=200, blank=True, help_text="Study name or registry id.")
    data_cutoff = models.DateField(null=True, blank=True)
    data_cutoff_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    population = models.CharField(max_length=300, blank=True)
    source = models.ForeignKey("programs.Source", on_delete=models.PROTECT, related_name="%(class)ss")

    class Meta:
        abstract = True

    @property
    def cutoff(self) -> PreciseDate:
        return PreciseDate(self.data_cutoff, self.data_cutoff_precision)


class SafetyEvent(StudyFields):
    """A safety finding: ILD in 0.6 % of patients, all grade 1; anaemia 1.7 %; a death.

    ``assessment`` tells "not assessed" apart from 0 %: only a reported figure has an incidence.
    """

    category = models.CharField(max_length=20, choices=SafetyCategory.choices, db_index=True)
    term = models.CharField(max_length=200, help_text="The term as reported, e.g. anaemia, pneumonitis.")
    grade_band = models.CharField(max_length=20, choices=GradeBand.choices, default=GradeBand.ANY)
    grade = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The grade, for a single-grade figure.",
    )
    max_grade = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Highest grade seen, when stated (\"all grade 1\" is 1).",
    )
    assessment = models.CharField(max_length=20, choices=Assessment.choices, default=Assessment.REPORTED)
    incidence_percent = models.DecimalField(
        max_digits=6, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    n = models.PositiveIntegerField(null=True, blank=True, help_text="Patients with the event.")
    n_total = models.PositiveIntegerField("N", null=True, blank=True, help_text="Patients assessed.")
    dose_group = models.CharField(max_length=120, blank=True)
    caused_hold = models.ForeignKey(
        "milestones.Milestone", on_delete=models.SET_NULL, null=True, blank=True, related_name="safety_events",
        help_text="The clinical hold this finding caused, if any.",
    )

    class Meta:
        ordering = ["asset", "category", "term"]
        indexes = [models.Index(fields=["asset", "category"], name="safety_asset_category_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(incidence_percent__isnull=True)
                | (Q(incidence_percent__gte=0) & Q(incidence_percent__lte=100)),
                name="safety_incidence_0_100",
            ),
            models.CheckConstraint(
                condition=Q(n__isnull=True) | Q(n_total__isnull=True) | Q(n__lte=F("n_total")),
                name="safety_n_le_total",
            ),
            models.CheckConstraint(condition=Q(n_total__isnull=True) | Q(n_total__gt=0), name="safety_total_positive"),
            models.CheckConstraint(
                condition=Q(assessment="reported")
                | (Q(incidence_percent__isnull=True) & Q(n__isnull=True)),
                name="safety_unassessed_has_no_figure",
            ),
            models.CheckConstraint(
                condition=~Q(grade_band="single") | Q(grade__isnull=False), name="safety_single_grade_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset.code if self.asset_id else '?'}: {self.term} {self.figure}"

    @property
    def figure(self) -> str:
        """"0.6 %", "3/176 (1.7 %)", "not assessed": never a 0 % for a figure nobody measured."""
        return safety_figure(self.assessment, self.n, self.n_total, self.incidence_percent)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.n is not None and self.n_total is not None and self.n > self.n_total:
            errors["n"] = f"n ({self.n}) cannot exceed N ({self.n_total})."
        if self.assessment != Assessment.REPORTED and (self.incidence_percent is not None or self.n is not None):
            errors["assessment"] = "A figure that was not assessed has no incidence or n; leave them empty."
        if self.grade_band == GradeBand.SINGLE and self.grade is None:
            errors["grade"] = "Name the grade of a single-grade figure."
        if self.incidence_percent is not None and not (0 <= self.incidence_percent <= 100):
            errors["incidence_percent"] = "Incidence is a percentage between 0 and 100."
        if errors:
            raise ValidationError(errors)


class SafetyMeasure(StudyFields):
    """Another reported safety measure with value and unit, e.g. free payload release 0.002 %."""

    name = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=6)
    unit = models.CharField(max_length=40, help_text="e.g. %, ng/mL")

    class Meta:
        ordering = ["asset", "name"]

    def __str__(self) -> str:
        return f"{self.asset.code if self.asset_id else '?'}: {self.name} {self.value.normalize():f} {self.unit}"


class EfficacyReadout(StudyFields):
    """An efficacy figure: ORR 32 %, DCR 88 %, median PFS 7.1 months, for a population and dose."""

    endpoint = models.CharField(max_length=10, choices=Endpoint.choices)
    endpoint_label = models.CharField(max_length=120, blank=True, help_text="For 'other': what was measured.")
    value = models.DecimalField(max_digits=10, decimal_places=3)
    unit = models.CharField(max_length=10, choices=EfficacyUnit.choices)
    ci_low = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    ci_high = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    indication = models.ForeignKey(
        "programs.Indication", on_delete=models.PROTECT, null=True, blank=True, related_name="efficacy_readouts"
    )
    dose_group = models.CharField(max_length=120, blank=True)
    line_of_therapy = models.CharField(max_length=10, choices=LineOfTherapy.choices, blank=True, default="")
    n = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["asset", "endpoint"]
        indexes = [models.Index(fields=["asset", "endpoint"], name="efficacy_asset_endpoint_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit="percent") | (Q(value__gte=0) & Q(value__lte=100)),
                name="efficacy_percent_0_100",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="efficacy_value_non_negative"),
            models.CheckConstraint(
                condition=Q(ci_low__isnull=True) | Q(ci_high__isnull=True) | Q(ci_low__lte=F("ci_high")),
                name="efficacy_ci_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset.code if self.asset_id else '?'}: {self.get_endpoint_display()} {self.figure}"

    @property
    def figure(self) -> str:
        return efficacy_figure(self.value, self.unit)

    def clean(self) -> None:
        super().clean()
        if self.unit == EfficacyUnit.PERCENT and self.value is not None and not (0 <= self.value <= 100):
            raise ValidationError({"value": "A percentage lies between 0 and 100."})
        if self.ci_low is not None and self.ci_high is not None and self.ci_low > self.ci_high:
            raise ValidationError({"ci_low": "The lower confidence bound exceeds the upper."})
