from __future__ import annotations

from django.urls import path

from programs import views
from programs.views import tokens
from programs.views.edit import imports, records

app_name = "programs"

urlpatterns = [
    path("import/", imports.import_csv_view, name="import_csv"),
    path("companies/add/", records.CompanyCreateView.as_view(), name="company_add"),
    path("companies/deleted/", records.CompanyRestoreView.as_view(), name="company_restore"),
    path("companies/<int:pk>/edit/", records.CompanyEditView.as_view(), name="company_edit"),
    path("companies/<int:pk>/delete/", records.CompanyDeleteView.as_view(), name="company_delete"),
    path("companies/<int:pk>/history/", records.CompanyHistoryView.as_view(), name="company_history"),
    path("assets/add/", records.AssetCreateView.as_view(), name="asset_add"),
    path("assets/deleted/", records.AssetRestoreView.as_view(), name="asset_restore"),
    path("assets/<int:pk>/edit/", records.AssetEditView.as_view(), name="asset_edit"),
    path("assets/<int:pk>/delete/", records.AssetDeleteView.as_view(), name="asset_delete"),
    path("assets/<int:pk>/history/", records.AssetHistoryView.as_view(), name="asset_history"),
    path("sources/add/", records.SourceCreateView.as_view(), name="source_add"),
    path("sources/deleted/", records.SourceRestoreView.as_view(), name="source_restore"),
    path("sources/<int:pk>/edit/", records.SourceEditView.as_view(), name="source_edit"),
    path("sources/<int:pk>/delete/", records.SourceDeleteView.as_view(), name="source_delete"),
    path("sources/<int:pk>/history/", records.SourceHistoryView.as_view(), name="source_history"),
    path("deals/add/", records.DealCreateView.as_view(), name="deal_add"),
    path("deals/deleted/", records.DealRestoreView.as_view(), name="deal_restore"),
    path("deals/<int:pk>/edit/", records.DealEditView.as_view(), name="deal_edit"),
    path("deals/<int:pk>/delete/", records.DealDeleteView.as_view(), name="deal_delete"),
    path("deals/<int:pk>/history/", records.DealHistoryView.as_view(), name="deal_history"),
    path("", views.home, name="home"),
    path("assets/", views.asset_list, name="asset_list"),
    path("assets/export/", views.asset_export, name="asset_export"),
    path("assets/<slug:slug>/", views.asset_detail, name="asset_detail"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<slug:slug>/", views.company_detail, name="company_detail"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<slug:slug>/", views.target_detail, name="target_detail"),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/export/", views.deal_export, name="deal_export"),
    path("deals/<int:pk>/", views.deal_detail, name="deal_detail"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("account/tokens/", tokens.token_list, name="token_list"),
    path("account/tokens/create/", tokens.token_create, name="token_create"),
    path("account/tokens/<str:token_key>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("jobs/", views.jobrun_list, name="jobrun_list"),
]
