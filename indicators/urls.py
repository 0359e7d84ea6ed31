from django.urls import path

from indicators.exports import views as export_views
from indicators.recording import grid_views, views
from indicators.spreadsheets import views as spreadsheet_views
from indicators.targets import views as target_views

app_name = "indicators"

urlpatterns = [
    path("indicateurs/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("saisie/", views.measurement_todo, name="measurement_todo"),
    path("saisie/<int:pk>/", grid_views.measurement_grid, name="measurement_grid"),
    path(
        "saisie/<int:pk>/ligne/<int:indicator_pk>/",
        grid_views.measurement_grid_row,
        name="measurement_grid_row",
    ),
    path(
        "saisie/export.csv", spreadsheet_views.measurement_export_csv, name="measurement_export_csv"
    ),
    path(
        "saisie/export.xlsx",
        spreadsheet_views.measurement_export_xlsx,
        name="measurement_export_xlsx",
    ),
    path("saisie/import/", spreadsheet_views.measurement_import, name="measurement_import"),
    path(
        "strategies/<int:pk>/etat/new/",
        views.strategy_progress_new,
        name="strategyprogress_new",
    ),
    path("cibles/", target_views.target_grid_edit, name="target_grid"),
    path("preuves/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/etat/", export_views.export_status, name="export_status"),
    path("exports/<int:pk>/fichier/", export_views.export_download, name="export_download"),
]
