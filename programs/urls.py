from __future__ import annotations

from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("", views.home, name="home"),
    path("assets/", views.asset_list, name="asset_list"),
    path("assets/<slug:slug>/", views.asset_detail, name="asset_detail"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<slug:slug>/", views.target_detail, name="target_detail"),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("jobs/", views.jobrun_list, name="jobrun_list"),
]
