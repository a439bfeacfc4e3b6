from __future__ import annotations

from django.urls import path

from milestones import views
from milestones.views import ctgov, edit, trials

app_name = "milestones"

urlpatterns = [
    path("milestones/ctgov/", ctgov.import_ctgov, name="import_ctgov"),
    path("milestones/quick/", edit.quick_milestone, name="quick_milestone"),
    path("milestones/<int:pk>/occurred/", edit.quick_mark_occurred, name="quick_mark_occurred"),
    path("milestones/add/", edit.MilestoneCreateView.as_view(), name="milestone_add"),
    path("milestones/deleted/", edit.MilestoneRestoreView.as_view(), name="milestone_restore"),
    path("milestones/<int:pk>/edit/", edit.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/delete/", edit.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("milestones/<int:pk>/history/", edit.MilestoneHistoryView.as_view(), name="milestone_history"),
    path("safety/add/", edit.SafetyEventCreateView.as_view(), name="safetyevent_add"),
    path("safety/deleted/", edit.SafetyEventRestoreView.as_view(), name="safetyevent_restore"),
    path("safety/<int:pk>/edit/", edit.SafetyEventEditView.as_view(), name="safetyevent_edit"),
    path("safety/<int:pk>/delete/", edit.SafetyEventDeleteView.as_view(), name="safetyevent_delete"),
    path("safety/<int:pk>/history/", edit.SafetyEventHistoryView.as_view(), name="safetyevent_history"),
    path("efficacy/add/", edit.EfficacyReadoutCreateView.as_view(), name="efficacyreadout_add"),
    path("efficacy/deleted/", edit.EfficacyReadoutRestoreView.as_view(), name="efficacyreadout_restore"),
    path("efficacy/<int:pk>/edit/", edit.EfficacyReadoutEditView.as_view(), name="efficacyreadout_edit"),
    path("efficacy/<int:pk>/delete/", edit.EfficacyReadoutDeleteView.as_view(), name="efficacyreadout_delete"),
    path("efficacy/<int:pk>/history/", edit.EfficacyReadoutHistoryView.as_view(), name="efficacyreadout_history"),
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
    path("trials/", trials.trial_list, name="trial_list"),
    path("trials/<int:pk>/", trials.trial_detail, name="trial_detail"),
]
