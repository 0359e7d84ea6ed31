from django.urls import path

from indicators.board import views

app_name = "board"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("resultats/<int:pk>/", views.result_detail, name="result_detail"),
    path("depuis-la-derniere-rencontre/", views.since_last_meeting, name="since_last_meeting"),
    path("rapport/", views.board_report, name="board_report"),
    path("rapport.xlsx", views.board_report_xlsx, name="board_report_xlsx"),
]
