"""Abstract bases shared by every editable model."""

from __future__ import annotations

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords


class TrackedModel(models.Model):
    """An editable record: timestamps, a version for optimistic locking, and full history.

    ``version`` goes up by one on every save. Forms and the API carry the version they read and
    refuse a save when it moved meanwhile (no lost updates); the API uses it as the ETag.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            self.version += 1
        self.before_write()
        super().save(*args, **kwargs)

    def before_write(self) -> None:
        """Fill fields derived from others before the row is written.

        Called by ``save`` and by the bulk writers (``programs.editing.bulk``), which bypass ``save``: a rule
        put here holds for both. The default does nothing.
        """
