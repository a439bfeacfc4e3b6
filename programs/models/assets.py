"""Assets: one ADC drug candidate, its names, targets, payloads and derived pipeline facts."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programs.models.base import TrackedModel
from programs.text import normalize_name
from programs.vocab import (
    AntibodyFormat,
    AssetStatus,
    ConjugationMethod,
    DarKind,
    DesignationKind,
    FcEngineering,
    LinkerType,
    Phase,
)

DAR_MAX = Decimal("20")


class Indication(TrackedModel):
    """A disease an asset is developed for (non-small cell lung cancer, colorectal cancer, ...)."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Asset(TrackedModel):
    """One ADC drug candidate (NEOK002, BL-B01D1, ...).

    Structure is typed by editors; the ``derived`` fields at the end are computed from milestones by
    ``programs.derivation.derived.recompute_asset`` and never typed by hand.
    """

    code = models.CharField(max_length=80, unique=True, help_text="Primary designation, e.g. NEOK002.")
    slug = models.SlugField(max_length=100, unique=True)
    inn = models.CharField("INN", max_length=200, blank=True)
    originator = models.ForeignKey("programs.Company", on_delete=models.PROTECT, related_name="originated_assets")
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AssetStatus.choices, default=AssetStatus.ACTIVE)

    antibody_format = models.CharField(
        max_length=30, choices=AntibodyFormat.choices, default=AntibodyFormat.MONOSPECIFIC_IGG
    )
    fc_engineering = models.CharField(max_length=20, choices=FcEngineering.choices, default=FcEngineering.UNKNOWN)
    masked = models.BooleanField(default=False, help_text="Masked / prodrug antibody (probody-style).")
    masking_platform = models.ForeignKey(
        "programs.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="masked_assets"
    )
    conjugation_method = models.CharField(
        max_length=30, choices=ConjugationMethod.choices, default=ConjugationMethod.UNKNOWN
    )
    conjugation_technology = models.CharField(
        max_length=120, blank=True, help_text="Named technology, e.g. C-Lock, GlycoConnect."
    )
    conjugation_platform = models.ForeignKey(
        "programs.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="conjugated_assets"
    )
    dar = models.DecimalField(
        "DAR", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(DAR_MAX)],
        help_text="Drug-to-antibody ratio, > 0 and <= 20.",
    )
    dar_max = models.DecimalField(
        "DAR (upper bound)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(DAR_MAX)],
        help_text="Upper bound of a reported DAR range (3.5-4); empty for a single value.",
    )
    dar_kind = models.CharField(max_length=10, choices=DarKind.choices, default=DarKind.NOMINAL)
    linker_type = models.CharField(max_length=20, choices=LinkerType.choices, default=LinkerType.UNKNOWN)
    linker_cleavable = models.BooleanField(null=True, blank=True, help_text="Empty when not disclosed.")
    linker_chemistry = models.CharField(max_length=120, blank=True, help_text="e.g. Val-Cit, GGFG tetrapeptide, CL2A.")
    linker_payload = models.CharField(max_length=120, blank=True,
                                      help_text="The linker-payload's name: vedotin, deruxtecan, tesirine, ...")

    targets = models.ManyToManyField("programs.Target", through="AssetTarget", related_name="assets")
    payloads = models.ManyToManyField("programs.Payload", through="AssetPayload", related_name="assets")
    indications = models.ManyToManyField(Indication, blank=True, related_name="assets")
    sources = models.ManyToManyField("programs.Source", blank=True, related_name="assets")

    # --- derived (programs.derivation.derived.recompute_asset) -----------------------------------------
    target_pair = models.ForeignKey(
        "programs.TargetPair", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="assets",
    )
    highest_phase = models.CharField(
        max_length=20, choices=Phase.choices, default=Phase.PRECLINICAL, editable=False
    )
    highest_phase_rank = models.SmallIntegerField(default=0, editable=False)
    current_phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PRECLINICAL, editable=False)
    latest_milestone = models.ForeignKey(
        "milestones.Milestone", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+",
    )
    latest_event_date = models.DateField(null=True, blank=True, editable=False)
    marketed = models.BooleanField(
        default=False, editable=False, help_text="At least one (indication, agency) approval stands."
    )
    first_ind = models.JSONField(default=dict, blank=True, editable=False, help_text="Agency -> ISO date.")
    phase_by_agency = models.JSONField(default=dict, blank=True, editable=False, help_text="Agency -> highest phase.")
    phase_by_indication = models.JSONField(
        default=dict, blank=True, editable=False, help_text="Indication id -> highest phase."
    )
    overdue_planned = models.PositiveIntegerField(
        default=0, editable=False, help_text="Planned events whose whole period has passed."
    )
    first_dosed_on = models.DateField(null=True, blank=True, editable=False)
    ind_to_dosing_days = models.IntegerField(null=True, blank=True, editable=False)
    derived_at = models.DateTimeField(null=True, blank=True, editable=False)
    derived_dirty = models.BooleanField(default=True, editable=False, db_index=True)
    search_text = models.TextField(blank=True, editable=False, help_text="Designations, targets, companies.")
    #: What the target and company summaries (``programs.derivation.summaries``) last counted this asset under:
    #: ``{"company": originator id, "targets": [target ids]}``. The derived recompute compares it with
    #: the asset's present originator and targets, so a summary the asset left is recounted too.
    counted_as = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        permissions = [("export_data", "Can export asset and deal tables")]
        indexes = [
            models.Index(fields=["highest_phase_rank", "code"], name="asset_phase_idx"),
            models.Index(fields=["antibody_format"], name="asset_format_idx"),
            models.Index(fields=["conjugation_method"], name="asset_conjugation_idx"),
            models.Index(fields=["latest_event_date"], name="asset_latest_event_idx"),
            models.Index(fields=["status"], name="asset_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dar__isnull=True) | (Q(dar__gt=0) & Q(dar__lte=DAR_MAX)), name="asset_dar_range"
            ),
            models.CheckConstraint(condition=~Q(code=""), name="asset_code_not_blank"),
            models.CheckConstraint(
                condition=Q(dar_max__isnull=True) | (Q(dar__isnull=False) & Q(dar_max__gte=models.F("dar"))
                                                     & Q(dar_max__lte=DAR_MAX)),
                name="asset_dar_range_order",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("programs:asset_detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.masking_platform_id and not self.masked:
            raise ValidationError({"masked": "An asset with a masking platform is masked."})
        if self.dar_max is not None and (self.dar is None or self.dar_max < self.dar):
            raise ValidationError({"dar_max": "A DAR range goes from DAR (the lower bound) up to this value."})
        if self.linker_type != LinkerType.UNKNOWN and self.linker_cleavable is not None and (
            self.linker_cleavable != (self.linker_type in LinkerType.cleavable())
        ):
            raise ValidationError({"linker_cleavable": "Cleavable contradicts the linker type."})

    @property
    def dar_label(self) -> str:
        """"4", "3.5-4" or "" : the DAR as reported, a range when one was."""
        if self.dar is None:
            return ""
        low = f"{self.dar.normalize():f}"
        return f"{low}-{self.dar_max.normalize():f}" if self.dar_max is not None else low


class AssetDesignation(TrackedModel):
    """A name an asset is known by: its code, INN, brand, former codes, nicknames ("iza-bren").

    ``normalized`` (case and punctuation folded) is unique across all assets: one name, one asset.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="designations")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=DesignationKind.choices, default=DesignationKind.ALIAS)
    normalized = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["asset", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["normalized"], name="designation_unique_name"),
            models.CheckConstraint(condition=~Q(normalized=""), name="designation_not_blank"),
        ]

    def __str__(self) -> str:
        return self.name

    def before_write(self) -> None:
        # Here, not in save(): forms and serializers call it to check the unique key before saving.
        super().before_write()
        self.normalized = normalize_name(self.name)

    def clean(self) -> None:
        super().clean()
        key = normalize_name(self.name)
        clash = AssetDesignation.objects.filter(normalized=key).exclude(pk=self.pk).select_related("asset").first()
        if clash is not None:
            raise ValidationError({"name": ValidationError(
                "%(name)r already names %(asset)s.", code="unique",
                params={"name": self.name, "asset": clash.asset.code},
            )})


class AssetTarget(TrackedModel):
    """One arm of an asset's binding: position 1 for a conventional ADC, 1 and 2 for a bispecific.

    A biparatopic asset lists the same target at both positions.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="asset_targets")
    target = models.ForeignKey("programs.Target", on_delete=models.PROTECT, related_name="asset_targets")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["asset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "position"], name="asset_target_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1) & Q(position__lte=4), name="asset_target_position"),
        ]
        indexes = [models.Index(fields=["target", "asset"], name="asset_target_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.asset_id}: {self.target_id} (arm {self.position})"


class AssetPayload(TrackedModel):
    """A payload an asset carries; a dual-payload ADC has two."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="asset_payloads")
    payload = models.ForeignKey("programs.Payload", on_delete=models.PROTECT, related_name="asset_payloads")
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["asset", "position"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "payload"], name="asset_payload_unique"),
        ]
        indexes = [models.Index(fields=["payload", "asset"], name="asset_payload_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.asset_id}: {self.payload_id}"
