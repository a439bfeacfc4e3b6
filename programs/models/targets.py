"""Targets (antigens) and target pairs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programs.models.base import TrackedModel
from programs.text import normalize_name


class TargetQuerySet(models.QuerySet["Target"]):
    def resolve(self, text: str) -> Target:
        """The target a symbol or alias names ("HER3" -> ERBB3), case and punctuation ignored.

        Raises ``ValidationError`` with a suggestion when nothing matches exactly.
        """
        key = normalize_name(text)
        if not key:
            raise ValidationError("A target is required.")
        match = self.filter(Q(normalized=key) | Q(aliases__normalized=key)).distinct().first()
        if match is not None:
            return match
        near = list(
            self.filter(Q(normalized__startswith=key[:3]) | Q(aliases__normalized__startswith=key[:3]))
            .distinct()
            .values_list("symbol", flat=True)[:5]
        )
        # The typed name and the suggestions are parameters, never part of the message template.
        if near:
            raise ValidationError(
                "Unknown target %(name)r: use an HGNC symbol or a known alias. Did you mean: %(near)s?",
                code="unknown_target", params={"name": text, "near": ", ".join(near)},
            )
        raise ValidationError("Unknown target %(name)r: use an HGNC symbol or a known alias.",
                              code="unknown_target", params={"name": text})


class Target(TrackedModel):
    """An antigen an ADC binds, named by its HGNC symbol (isoforms such as CLDN18.2 have a parent)."""

    symbol = models.CharField(max_length=40, unique=True, help_text="HGNC symbol, e.g. ERBB3.")
    name = models.CharField(max_length=200, help_text="Full name, e.g. erb-b2 receptor tyrosine kinase 3.")
    slug = models.SlugField(max_length=60, unique=True)
    normalized = models.CharField(max_length=60, unique=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="isoforms",
        help_text="For an isoform (CLDN18.2): the gene it is an isoform of.",
    )

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["symbol"]

    def __str__(self) -> str:
        return self.symbol

    def before_write(self) -> None:
        # Here, not in save(): forms and serializers call it to check the unique key before saving.
        super().before_write()
        self.normalized = normalize_name(self.symbol)

    def get_absolute_url(self) -> str:
        return reverse("programs:target_detail", args=[self.slug])

    @property
    def common_name(self) -> str:
        """The first alias, the name people say (HER3 for ERBB3); empty when none."""
        alias = next(iter(self.aliases.all()), None)  # uses prefetch when present
        return alias.name if alias else ""


class TargetAlias(TrackedModel):
    """A name people search a target by: HER3 for ERBB3, TROP2 for TACSTD2."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=80)
    normalized = models.CharField(max_length=80, unique=True, editable=False)

    class Meta:
        ordering = ["target", "id"]
        verbose_name_plural = "target aliases"

    def __str__(self) -> str:
        return f"{self.name} ({self.target.symbol})"

    def before_write(self) -> None:
        # Here, not in save(): forms and serializers call it to check the unique key before saving.
        super().before_write()
        self.normalized = normalize_name(self.name)


# ``TargetPair.label``/``key`` from the two symbols, for pages that read them without the models.


def pair_label(low_symbol: str, high_symbol: str) -> str:
    """"EGFR x ERBB3" (symbols sorted)."""
    a, b = sorted([low_symbol, high_symbol])
    return f"{a} x {b}"


def pair_key(low_symbol: str, high_symbol: str) -> str:
    """URL form used by filters: "EGFR-ERBB3" (symbols sorted)."""
    return "-".join(sorted([low_symbol, high_symbol]))


class TargetPair(models.Model):
    """An unordered pair of targets (EGFR x ERBB3), first-class so "every EGFR x HER3 asset" is one join.

    Derived from an asset's targets; stored with ``low.id <= high.id`` so the order an editor typed
    does not matter. A biparatopic asset's pair has the same target twice.
    """

    low = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")
    high = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["low__symbol", "high__symbol"]
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="target_pair_unique"),
            models.CheckConstraint(condition=Q(low__lte=models.F("high")), name="target_pair_ordered"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pair_label(self.low.symbol, self.high.symbol)

    @property
    def key(self) -> str:
        """URL form used by filters: "EGFR-ERBB3" (symbols sorted)."""
        return pair_key(self.low.symbol, self.high.symbol)

    @classmethod
    def for_targets(cls, a: Target, b: Target) -> TargetPair:
        low, high = sorted([a, b], key=lambda t: t.pk)
        pair, _ = cls.objects.get_or_create(low=low, high=high)
        return pair
