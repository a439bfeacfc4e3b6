"""django-tables2 tables (NetBox-style parallel names: AssetTable beside AssetFilterSet)."""

from __future__ import annotations

from programs.tables.assets import AssetTable
from programs.tables.deals import DealTable

__all__ = ["AssetTable", "DealTable"]
