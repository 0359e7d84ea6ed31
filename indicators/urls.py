from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("indicateurs/<int:pk>/", views.indicator_detail, name="indicator_detail"),
]
