"""FilterSets shared by the HTML lists, the API and the exports (one per model, NetBox style)."""

from __future__ import annotations

from programs.filters.assets import AssetFilterSet

__all__ = ["AssetFilterSet"]
