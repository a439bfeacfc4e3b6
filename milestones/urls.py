from __future__ import annotations

from django.urls import path

from milestones import views

app_name = "milestones"

urlpatterns = [
    path("milestones/<int:pk>/", views.milestone_detail, name="milestone_detail"),
]
