from django.urls import path

from plan import views

app_name = "plan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plan/", views.plan_detail, name="plan_detail"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("resultats/<int:pk>/", views.result_detail, name="result_detail"),
    path(
        "strategies/<int:pk>/etat/new/",
        views.strategy_progress_new,
        name="strategyprogress_new",
    ),
    path("depuis-la-derniere-rencontre/", views.since_last_meeting, name="since_last_meeting"),
    path("rapport/", views.board_report, name="board_report"),
    path("rapport.xlsx", views.board_report_xlsx, name="board_report_xlsx"),
]
