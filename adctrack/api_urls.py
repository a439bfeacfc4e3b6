"""/api/v1/: the versioned REST API (namespace ``api``). Schema at /api/schema/, docs at /api/docs/."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter

from milestones.api.trials import TrialViewSet
from milestones.api.views import EfficacyReadoutViewSet, MilestoneViewSet, SafetyEventViewSet
from programs.api import export_urls
from programs.api.tokens import TokenViewSet
from programs.api.views import (
    AssetDerivedViewSet,
    AssetViewSet,
    CompanyViewSet,
    DealViewSet,
    SourceViewSet,
    TargetViewSet,
)

app_name = "api"

router = DefaultRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("targets", TargetViewSet, basename="target")
router.register("sources", SourceViewSet, basename="source")
router.register("assets", AssetViewSet, basename="asset")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("safety-events", SafetyEventViewSet, basename="safetyevent")
router.register("efficacy-readouts", EfficacyReadoutViewSet, basename="efficacyreadout")
router.register("deals", DealViewSet, basename="deal")
router.register("trials", TrialViewSet, basename="trial")
router.register("statistics/assets", AssetDerivedViewSet, basename="assetderived")
# --- GLOBAL STATISTICS: the lead wires the statistics helper's viewset here at merge, e.g.
# router.register("statistics/global", GlobalStatisticsViewSet, basename="statistics")
router.register("tokens", TokenViewSet, basename="token")

# Export routes come before the router so "deals/export/" is not read as a deal id.
urlpatterns = [*export_urls.urlpatterns, *router.urls]
