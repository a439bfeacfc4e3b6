"""Analyst pages. One module per page family; this package re-exports the view callables."""

from __future__ import annotations

from programs.views.dashboard import home, jobrun_list
from programs.views.pages import (
    asset_detail,
    asset_list,
    company_detail,
    company_list,
    deal_detail,
    deal_list,
    target_detail,
    target_list,
)

__all__ = [
    "asset_detail", "asset_list", "company_detail", "company_list", "deal_detail", "deal_list", "home",
    "jobrun_list", "target_detail", "target_list",
]
