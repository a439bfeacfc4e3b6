"""Models of the programmes app; import from here (``from programs.models import Asset``)."""

from __future__ import annotations

from programs.models.assets import Asset, AssetDesignation, AssetPayload, AssetTarget, Indication
from programs.models.companies import Company, CompanyAlias, Platform
from programs.models.deals import Deal, DealParty, DealTerms
from programs.models.exports import ExportLog
from programs.models.payloads import Payload
from programs.models.sources import Source
from programs.models.stats import JobRun, JobStatus, Statistic, StatisticGroup, StatisticSnapshot
from programs.models.summaries import CompanySummary, TargetSummary
from programs.models.targets import Target, TargetAlias, TargetPair

__all__ = [
    "Asset", "AssetDesignation", "AssetPayload", "AssetTarget", "Company", "CompanyAlias", "CompanySummary", "Deal",
    "DealParty", "DealTerms", "ExportLog", "Indication", "JobRun", "JobStatus", "Payload", "Platform", "Source",
    "Statistic", "StatisticGroup", "StatisticSnapshot", "Target", "TargetAlias", "TargetPair", "TargetSummary",
]
