"""Deals between companies: licences, co-developments, options, CDMO services, ..."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from programs.dates import PreciseDate
from programs.models.base import TrackedModel
from programs.vocab import Currency, DatePrecision, DealKind, DealRole, DealStatus

if TYPE_CHECKING:
    from programs.models.companies import Company


class Deal(TrackedModel):
    """An agreement announced on a date, between parties in roles, covering assets or a platform.

    Money lives in ``DealTerms``, one row per source that reported it, because sources disagree
    (the press's "$84 billion" beside BMS's own "up to US$8.4 billion"); one row ``stands``.
    """

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=DealKind.choices, db_index=True)
    announced_on = models.DateField(null=True, blank=True, help_text="First day of the announced period.")
    announced_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    territory = models.CharField(max_length=200, blank=True, help_text="e.g. Worldwide, Worldwide ex-China.")
    status = models.CharField(max_length=20, choices=DealStatus.choices, default=DealStatus.ACTIVE)
    terminated_on = models.DateField(null=True, blank=True)
    platform = models.ForeignKey(
        "programs.Platform", on_delete=models.PROTECT, null=True, blank=True, related_name="deals"
    )
    summary = models.TextField(blank=True)
    source = models.ForeignKey("programs.Source", on_delete=models.PROTECT, related_name="deals")
    parties = models.ManyToManyField("programs.Company", through="DealParty", related_name="deals")
    assets = models.ManyToManyField("programs.Asset", blank=True, related_name="deals")

    class Meta:
        ordering = ["-announced_on", "title"]
        indexes = [models.Index(fields=["announced_on"], name="deal_announced_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="terminated") | Q(terminated_on__isnull=True),
                name="deal_terminated_on_only_when_terminated",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:deal_detail", args=[self.pk])

    @property
    def announced(self) -> PreciseDate:
        return PreciseDate(self.announced_on, self.announced_precision)

    def clean(self) -> None:
        super().clean()
        if self.terminated_on and self.announced_on and self.terminated_on < self.announced_on:
            raise ValidationError({"terminated_on": "A deal cannot end before it was announced."})
        if self.terminated_on and self.status != DealStatus.TERMINATED:
            raise ValidationError({"terminated_on": "Only a terminated deal has a termination date."})


def roles_by_party(parties: Iterable[DealParty]) -> dict[Company, list[str]]:
    """Each company of a deal once, with the labels of all its roles, in the order first seen:
    ``{Bristol Myers Squibb: ["Licensee", "Co-developer"]}`` (pages never list a company per role).
    ``parties`` should come with their companies (``select_related("company")``)."""
    roles: dict[Company, list[str]] = {}
    for party in parties:
        roles.setdefault(party.company, []).append(str(party.get_role_display()))
    return roles


class DealParty(TrackedModel):
    """A company in a deal, in one role (a company may hold two roles in one deal)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="deal_parties")
    company = models.ForeignKey("programs.Company", on_delete=models.PROTECT, related_name="deal_parties")
    role = models.CharField(max_length=20, choices=DealRole.choices)

    class Meta:
        ordering = ["deal", "role", "company__name"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "company", "role"], name="deal_party_unique_role"),
        ]
        indexes = [models.Index(fields=["company", "role"], name="deal_party_company_idx")]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_role_display()})"


_MONEY = {"max_digits": 14, "decimal_places": 3, "null": True, "blank": True}


class DealTerms(TrackedModel):
    """The money of a deal as one source reported it, in millions of ``currency``.

    ``usd_per_unit`` converts to US dollars for comparison (1 for USD). Exactly one row per deal may
    ``stand``: the figure pages and statistics use; the others are kept with their sources.
    """

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="terms")
    source = models.ForeignKey("programs.Source", on_delete=models.PROTECT, related_name="deal_terms")
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.USD)
    upfront = models.DecimalField(help_text="Millions of currency.", **_MONEY)  # type: ignore[arg-type]
    milestones = models.DecimalField(help_text="Millions of currency.", **_MONEY)  # type: ignore[arg-type]
    # A contingent or near-term payment beyond the upfront (BL-B01D1's US$500M): without its own field,
    # upfront + milestones fell short of the total and the figure lived only in a note.
    near_term = models.DecimalField(
        help_text="Millions of currency: contingent / near-term payments beyond the upfront.", **_MONEY
    )  # type: ignore[arg-type]
    total_value = models.DecimalField(help_text="Millions of currency.", **_MONEY)  # type: ignore[arg-type]
    equity = models.DecimalField(help_text="Millions of currency.", **_MONEY)  # type: ignore[arg-type]
    usd_per_unit = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(1))
    royalty_terms = models.CharField(max_length=300, blank=True)
    stands = models.BooleanField(default=True, help_text="The figure that stands when sources disagree.")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["deal", "-stands", "id"]
        verbose_name_plural = "deal terms"
        constraints = [
            models.CheckConstraint(
                condition=(Q(upfront__isnull=True) | Q(upfront__gte=0))
                & (Q(milestones__isnull=True) | Q(milestones__gte=0))
                & (Q(near_term__isnull=True) | Q(near_term__gte=0))
                & (Q(total_value__isnull=True) | Q(total_value__gte=0))
                & (Q(equity__isnull=True) | Q(equity__gte=0)),
                name="deal_terms_amounts_non_negative",
            ),
            models.CheckConstraint(condition=Q(usd_per_unit__gt=0), name="deal_terms_rate_positive"),
            models.UniqueConstraint(
                fields=["deal"], condition=Q(stands=True), name="deal_terms_one_standing_per_deal"
            ),
            models.UniqueConstraint(fields=["deal", "source"], name="deal_terms_unique_per_source"),
        ]

    def __str__(self) -> str:
        value = self.total_value if self.total_value is not None else self.upfront
        return f"{self.deal}: {value} M {self.currency} ({self.source})"

    def usd(self, field: str) -> Decimal | None:
        """An amount in millions of US dollars."""
        value: Decimal | None = getattr(self, field)
        return None if value is None else (value * self.usd_per_unit).quantize(Decimal("0.001"))

    @property
    def usd_total(self) -> Decimal | None:
        """The total value (else the upfront) in millions of US dollars."""
        return self.usd("total_value") if self.total_value is not None else self.usd("upfront")
