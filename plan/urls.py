from django.urls import path

from plan import views

app_name = "plan"

urlpatterns = [
    path("plan/", views.plan_detail, name="plan_detail"),
]
