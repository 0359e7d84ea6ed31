from django.urls import path

from indicators.board import meeting_views, views

app_name = "board"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("resultats/<int:pk>/", views.result_detail, name="result_detail"),
    path("depuis-la-derniere-rencontre/", views.since_last_meeting, name="since_last_meeting"),
    path("rapport/", views.board_report, name="board_report"),
    path("rapport.xlsx", views.board_report_xlsx, name="board_report_xlsx"),
    path("rapport/impression.css", views.board_report_print_css, name="board_report_print_css"),
    path("rencontres/", meeting_views.meeting_list, name="meeting_list"),
    path("rencontres/nouvelle/", meeting_views.meeting_new, name="meeting_new"),
    path("rencontres/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path("rencontres/<int:pk>/modifier/", meeting_views.meeting_edit, name="meeting_edit"),
    path("rencontres/<int:pk>/presenter/", meeting_views.meeting_present, name="meeting_present"),
    path(
        "rencontres/<int:pk>/dossier/",
        meeting_views.meetingpack_detail,
        name="meetingpack_detail",
    ),
    path(
        "rencontres/<int:pk>/dossier/retirer/",
        meeting_views.meetingpack_remove,
        name="meetingpack_remove",
    ),
    path(
        "rencontres/<int:pk>/dossier/impression.css",
        meeting_views.meetingpack_print_css,
        name="meetingpack_print_css",
    ),
]
