from django.urls import path

from plan import views

app_name = "plan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plan/", views.plan_detail, name="plan_detail"),
    path("orientations/<int:pk>/", views.orientation_detail, name="orientation_detail"),
    path("resultats/<int:pk>/", views.result_detail, name="result_detail"),
]
