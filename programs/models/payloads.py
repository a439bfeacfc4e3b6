"""Payloads: what the antibody carries."""

from __future__ import annotations

from django.db import models

from programs.models.base import TrackedModel
from programs.vocab import PayloadClass


class Payload(TrackedModel):
    """A payload molecule (DXd, SN-38, MMAE, DM1, Ed-04, ...) with its class and mechanism."""

    name = models.CharField(max_length=120, unique=True)
    payload_class = models.CharField(max_length=30, choices=PayloadClass.choices, db_index=True)
    mechanism = models.CharField(
        max_length=200, blank=True, help_text="e.g. topoisomerase I inhibitor, glucocorticoid receptor modulator"
    )
    aliases = models.CharField(max_length=300, blank=True, help_text="Other names, separated by ';'.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
