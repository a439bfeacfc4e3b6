"""Regulatory milestones: the events in an asset's life."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from milestones.models.trials import TrialRegistryId, normalize_registry_id, validate_registry_id
from milestones.vocab import Agency, ApprovalType, HoldType, MilestoneKind, MilestoneStatus, Outcome
from programs.dates import PreciseDate
from programs.models.base import TrackedModel
from programs.vocab import DatePrecision, Phase


def validate_trial_id(value: str) -> None:
    """A registry id (any case: ``nct03734029`` is stored as ``NCT03734029``); see ``trials.REGISTRY_HELP``."""
    if value:
        validate_registry_id(value)


_KIND_LABELS: dict[str, str] = dict(MilestoneKind.choices)
_PHASE_LABELS: dict[str, str] = dict(Phase.choices)


def milestone_label(kind: str, phase: str, agency: str, approval_type: str = "") -> str:
    """``Milestone.label`` from its columns, for rows read with ``.values()``: "Approval (accelerated) · FDA"."""
    label = str(_KIND_LABELS.get(kind, kind))
    if approval_type:  # only approvals carry one (the model's clean refuses it elsewhere)
        label = f"{label} ({approval_type})"  # the codes are the words: full, accelerated, conditional
    bits = [label]
    if phase:
        bits.append(str(_PHASE_LABELS.get(phase, phase)))
    if agency:
        bits.append(agency)
    return " · ".join(bits)


# The properties below delegate to these functions of plain values, so that pages reading rows with
# ``.values()`` (the asset page) compute the same thing without model instances: one implementation.


def milestone_planned_when(planned_date: dt.date | None, planned_precision: str) -> PreciseDate | None:
    """``Milestone.planned_when``: the plan as first announced, None when there was none."""
    return PreciseDate(planned_date, planned_precision) if planned_date else None


def milestone_slip_days(status: str, date: dt.date | None, plan: PreciseDate | None) -> int | None:
    """``Milestone.slip_days``: days after (positive) or before (negative) the planned period; 0 within it."""
    if plan is None or status != MilestoneStatus.OCCURRED or date is None:
        return None
    start, end = plan.date, plan.end
    assert start is not None and end is not None
    if date > end:
        return (date - end).days
    if date < start:
        return (date - start).days
    return 0


def milestone_overdue(status: str, when: PreciseDate, today: dt.date) -> bool:
    """``Milestone.is_overdue``: a planned event whose whole period has passed."""
    end = when.end
    return status == MilestoneStatus.PLANNED and end is not None and end < today


class Milestone(TrackedModel):
    """An event in an asset's life: an IND cleared, a phase started, a hold, an approval.

    ``date``/``date_precision`` is the current best date (the plan while planned, what happened once
    it occurred). ``planned_date``/``planned_precision`` keep the plan as first announced, so the slip
    from plan is known after the event occurs.
    """

    asset = models.ForeignKey("programs.Asset", on_delete=models.PROTECT, related_name="milestones")
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    agency = models.CharField(max_length=10, choices=Agency.choices, blank=True, default="")
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True, default="")
    status = models.CharField(max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.OCCURRED)
    date = models.DateField(null=True, blank=True, help_text="First day of the period.")
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    planned_date = models.DateField(null=True, blank=True, editable=False)
    planned_precision = models.CharField(max_length=10, choices=DatePrecision.choices, blank=True, editable=False)
    indication = models.ForeignKey(
        "programs.Indication", on_delete=models.PROTECT, null=True, blank=True, related_name="milestones"
    )
    trial_id = models.CharField(max_length=40, blank=True, validators=[validate_trial_id],
                                help_text="The trial's registry id as the source gives it (part of the key).")
    # Not ``trial``: its column would clash with ``trial_id``, the registry id the API and CSV have always had.
    trial_record = models.ForeignKey(
        "milestones.Trial", on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
        help_text="The trial record this event belongs to (phase starts from a registry).",
    )
    approval_type = models.CharField(max_length=12, choices=ApprovalType.choices, blank=True, default="")
    outcome = models.CharField(
        max_length=12, choices=Outcome.choices, blank=True, default="",
        help_text="Advisory committee: favourable / unfavourable / split; CHMP opinion: positive / negative.",
    )
    hold_type = models.CharField(max_length=8, choices=HoldType.choices, blank=True, default="")
    reason = models.TextField(blank=True, help_text="Why: a hold's, a withdrawal's or a discontinuation's reason.")
    lifts = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="lifted_by",
        help_text="The clinical hold this hold-lifted event lifts.",
    )
    source = models.ForeignKey("programs.Source", on_delete=models.PROTECT, related_name="milestones")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["asset", "date", "id"]
        indexes = [
            models.Index(fields=["asset", "date"], name="milestone_asset_date_idx"),
            models.Index(fields=["kind", "agency", "date"], name="milestone_kind_agency_idx"),
            models.Index(fields=["date"], name="milestone_date_idx"),
        ]
        constraints = [
            # The natural key: two approvals of one asset on one day for two indications are two
            # records. Coalesce: NULL (asset-wide) would otherwise never equal itself in a unique index.
            models.UniqueConstraint(
                F("asset"), F("kind"), F("agency"), Coalesce(F("indication"), Value(0)), F("phase"),
                F("trial_id"), F("date"), name="milestone_unique_event",
                violation_error_message="The same event is already recorded.",
            ),
            models.CheckConstraint(
                condition=Q(date__isnull=False) | Q(date_precision="unknown"), name="milestone_date_or_unknown"
            ),
            models.CheckConstraint(
                condition=~Q(kind="phase_started") | ~Q(phase=""), name="milestone_phase_start_has_phase"
            ),
        ]

    def __str__(self) -> str:
        bits = [self.asset.code if self.asset_id else "?", self.get_kind_display()]
        if self.phase:
            bits.append(self.get_phase_display())
        if self.agency:
            bits.append(self.agency)
        return f"{' '.join(bits)} ({self.when}{', planned' if self.is_planned else ''})"

    def get_absolute_url(self) -> str:
        return reverse("milestones:milestone_detail", args=[self.pk])

    @property
    def label(self) -> str:
        """"IND cleared / approved · FDA", "Phase started · Phase 2": the event without its asset or date."""
        return milestone_label(self.kind, self.phase, self.agency, self.approval_type)

    @property
    def when(self) -> PreciseDate:
        return PreciseDate(self.date, self.date_precision)

    @property
    def planned_when(self) -> PreciseDate | None:
        return milestone_planned_when(self.planned_date, self.planned_precision)

    @property
    def is_planned(self) -> bool:
        return self.status == MilestoneStatus.PLANNED

    @property
    def slip_days(self) -> int | None:
        """Days the event came after (positive) or before (negative) its planned period; 0 within it."""
        return milestone_slip_days(self.status, self.date, self.planned_when)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """A planned event whose whole period has passed."""
        return milestone_overdue(self.status, self.when, today or timezone.localdate())

    def before_write(self) -> None:
        """Keep the plan as first announced, so the slip is known once the event occurs."""
        if self.trial_id:
            try:
                self.trial_id = normalize_registry_id(self.trial_id)[1]
            except ValueError:
                pass  # clean() reports it; a bulk writer has validated already
        if self.status == MilestoneStatus.PLANNED and self.planned_date is None and self.date:
            self.planned_date, self.planned_precision = self.date, self.date_precision

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._link_trial()
        super().save(*args, **kwargs)

    def _link_trial(self) -> None:
        """Point ``trial_record`` at the Trial that holds ``trial_id`` (forms, API, quick entry: one query).

        The CSV import looks the file's ids up at once and marks its rows (its bulk writes skip
        ``save``); an id no trial holds yet leaves the link as it was (the trials import or the
        CT.gov sync makes the record later).
        """
        if not self.trial_id or getattr(self, "_trial_looked_up", False):
            return
        try:
            value = normalize_registry_id(self.trial_id)[1]
        except ValueError:
            return  # the field's validator reports it
        found = TrialRegistryId.objects.filter(value=value).values_list("trial_id", flat=True).first()
        if found is not None:
            self.trial_record_id = found

    def clean(self) -> None:
        """Domain rules shared by the editor forms, the CSV import and the API."""
        super().clean()
        errors: dict[str, list[str]] = {}
        today = timezone.localdate()
        if self.status == MilestoneStatus.OCCURRED and self.date and self.date > today:
            errors.setdefault("date", []).append(
                f"An occurred event cannot be dated in the future ({self.when}); mark it planned."
            )
        if self.kind == MilestoneKind.PHASE_STARTED and not self.phase:
            errors.setdefault("phase", []).append("Say which phase started.")
        siblings = self._siblings() if self.asset_id else []
        if self.asset_id and self.date and self.status == MilestoneStatus.OCCURRED:
            self._check_ind_order(errors, siblings)
        self._check_regulatory(errors)
        if self.asset_id and self.kind:
            key = self.natural_key_values()
            dup = next((m for m in siblings if m.natural_key_values() == key), None)
            if dup is not None:
                errors.setdefault("__all__", []).append(
                    format_html(
                        'The same event is already recorded: <a href="{}">{}</a>.', dup.get_absolute_url(), dup
                    )
                )
        if errors:
            raise ValidationError(errors)

    def natural_key_values(self) -> tuple[object, ...]:
        """The key the model constraint, the forms, the API and the CSV upsert share (without the asset).

        An indication not written yet (the CSV import's) counts by its lower-case name.
        """
        indication: int | str | None = self.indication_id
        field = Milestone._meta.get_field("indication")
        if indication is None and field.is_cached(self) and self.indication is not None:  # type: ignore[union-attr]
            indication = self.indication.name.lower()
        return (self.kind, self.agency, indication, self.phase, self.trial_id, self.date)

    def _check_regulatory(self, errors: dict[str, list[str]]) -> None:
        """Fields that belong to some kinds only, and the agency the regulatory kinds need."""
        kind = self.kind
        if kind in MilestoneKind.needs_agency() and not self.agency:
            errors.setdefault("agency", []).append(
                f"A {MilestoneKind(kind).label.lower()} is an agency's act: say which agency."
            )
        if self.approval_type and kind not in MilestoneKind.authorisations():
            errors.setdefault("approval_type", []).append(
                "An approval type belongs to an approval or a label expansion only."
            )
        allowed = Outcome.allowed(kind) if kind else ()
        if self.outcome and self.outcome not in allowed:
            errors.setdefault("outcome", []).append(
                "Outcome is for an advisory committee (favourable, unfavourable, split) or a CHMP opinion "
                "(positive, negative)." if not allowed else
                "This kind's outcome is one of: " + ", ".join(str(Outcome(o).label) for o in allowed) + "."
            )
        if self.hold_type and kind != MilestoneKind.CLINICAL_HOLD:
            errors.setdefault("hold_type", []).append("A hold type belongs to a clinical hold only.")
        if self.lifts_id is not None:
            if kind != MilestoneKind.HOLD_LIFTED:
                errors.setdefault("lifts", []).append("Only a hold-lifted event lifts a hold.")
                return
            hold = self.lifts
            if hold.kind != MilestoneKind.CLINICAL_HOLD or hold.asset_id != self.asset_id:
                errors.setdefault("lifts", []).append("Choose a clinical hold of the same asset.")
            elif hold.date and self.date and self.date < hold.date:
                errors.setdefault("date", []).append(
                    f"A hold cannot be lifted ({self.when}) before it was placed ({hold.when})."
                )

    def _siblings(self) -> list[Milestone]:
        """The asset's other milestones: one query, or none when a bulk caller (the CSV import) has set
        ``_sibling_cache`` to the list of the asset's milestones it keeps up to date."""
        cache: list[Milestone] | None = getattr(self, "_sibling_cache", None)
        if cache is None:
            return list(Milestone.objects.filter(asset_id=self.asset_id).exclude(pk=self.pk))
        return [m for m in cache if m is not self and (self.pk is None or m.pk != self.pk)]

    def _check_ind_order(self, errors: dict[str, list[str]], siblings: list[Milestone]) -> None:
        """An IND is submitted before it is accepted, and accepted before it is cleared."""
        order = [MilestoneKind.IND_SUBMITTED, MilestoneKind.IND_ACCEPTED, MilestoneKind.IND_CLEARED]
        if self.kind not in order:
            return
        rank = order.index(MilestoneKind(self.kind))
        others = [
            m for m in siblings
            if m.agency == self.agency and m.kind in order and m.status == MilestoneStatus.OCCURRED and m.date
        ]
        for other in others:
            other_rank = order.index(MilestoneKind(other.kind))
            assert other.date is not None and self.date is not None
            if (other_rank < rank and other.date > self.date) or (other_rank > rank and other.date < self.date):
                errors.setdefault("date", []).append(
                    f"{self.get_kind_display()} on {self.when} contradicts {other.get_kind_display()} on "
                    f"{other.when}: an IND is submitted, then accepted, then cleared."
                )
