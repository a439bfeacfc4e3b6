"""Derived regulatory status of an asset per (indication, agency): what is approved where, since when.

Rows are written only by ``programs.derivation.derived.recompute_asset`` from the asset's milestones
(``milestones.derivation.regulatory.regulatory_status`` computes them); never typed by hand, never edited in a form,
and so not tracked in history. A table rather than a JSON column so that "approved by the FDA for
anything" is an indexed ``EXISTS`` on the asset list.
"""

from __future__ import annotations

from django.db import models

from milestones.vocab import Agency, ApprovalType, RegulatoryState
from programs.dates import PreciseDate
from programs.vocab import DatePrecision, Phase


class RegulatoryStatus(models.Model):
    asset = models.ForeignKey("programs.Asset", on_delete=models.CASCADE, related_name="regulatory_statuses")
    indication = models.ForeignKey("programs.Indication", on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="+")
    agency = models.CharField(max_length=10, choices=Agency.choices, blank=True, default="")
    state = models.CharField(max_length=20, choices=RegulatoryState.choices)
    approval_type = models.CharField(max_length=12, choices=ApprovalType.choices, blank=True, default="")
    converted = models.BooleanField(default=False, help_text="A full approval that followed an accelerated or "
                                                             "conditional one for the same indication and agency.")
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True, default="")
    since = models.DateField(null=True, blank=True)
    since_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN)
    position = models.PositiveSmallIntegerField(default=0, help_text="Display order within the asset.")

    class Meta:
        ordering = ["asset", "position"]
        indexes = [models.Index(fields=["agency", "state", "asset"], name="regstatus_agency_state_idx")]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.indication_id or '-'} {self.agency or '-'}: {self.state}"

    @property
    def since_when(self) -> PreciseDate:
        return PreciseDate(self.since, self.since_precision)
