"""FilterSets shared by the HTML lists, the API and the exports (one per model, NetBox style)."""

from __future__ import annotations

from programs.filters.assets import AssetFilterSet
from programs.filters.deals import DealFilterSet

__all__ = ["AssetFilterSet", "DealFilterSet"]
