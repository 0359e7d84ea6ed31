from django.urls import path, register_converter

from indicators.board import meeting_views, views

app_name = "board"


class PlanYearsConverter:
    """A plan's years in a URL: « 2018-2023 » (years are unique among plans)."""

    regex = "[0-9]{4}-[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PlanYearsConverter, "years")

# Every plan stays readable at its own URLs; the same pages without /plans/<years>/ read the
# current plan (plan.decorators.plan_from_url_or_current).
PLAN = "plans/<years:years>/"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("resultats/<int:pk>/", views.result_detail, name="result_detail"),
    path("depuis-la-derniere-rencontre/", views.since_last_meeting, name="since_last_meeting"),
    path("rapport/", views.board_report, name="board_report"),
    path("rapport.xlsx", views.board_report_xlsx, name="board_report_xlsx"),
    path("rapport/impression.css", views.board_report_print_css, name="board_report_print_css"),
    path(PLAN, views.dashboard, name="plan_dashboard"),
    path(
        PLAN + "depuis-la-derniere-rencontre/",
        views.since_last_meeting,
        name="plan_since_last_meeting",
    ),
    path(PLAN + "rapport/", views.board_report, name="plan_board_report"),
    path(PLAN + "rapport.xlsx", views.board_report_xlsx, name="plan_board_report_xlsx"),
    path(
        PLAN + "rapport/impression.css",
        views.board_report_print_css,
        name="plan_board_report_print_css",
    ),
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
