"""Analyst pages. One module per page family; this package re-exports the view callables."""

from __future__ import annotations

from programs.views.asset_detail import asset_detail
from programs.views.assets import asset_list
from programs.views.dashboard import home, jobrun_list
from programs.views.deals import deal_detail, deal_list
from programs.views.directory import company_detail, company_list, target_detail, target_list
from programs.views.exports import asset_export, deal_export, export_download, export_status

__all__ = [
    "asset_export", "deal_export", "export_download", "export_status",
    "asset_detail", "asset_list", "company_detail", "company_list", "deal_detail", "deal_list", "home",
    "jobrun_list", "target_detail", "target_list",
]
