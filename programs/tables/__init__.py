"""django-tables2 tables of the analyst lists (NetBox-style names: ``DealTable``, ``AssetTable``)."""

from __future__ import annotations

from programs.tables.deals import DealTable

__all__ = ["DealTable"]
