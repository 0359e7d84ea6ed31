from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from indicators.public import views
from indicators.public.sitemaps import PublicSitemap

app_name = "public"


class PublicYearsConverter:
    """A plan's years in a public URL: « 2018-2023 »."""

    regex = "[0-9]{4}-[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PublicYearsConverter, "public_years")

urlpatterns = [
    path("public/", views.public_index, name="public_index"),
    path("public/<public_years:years>/", views.plan_progress, name="plan_progress"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": {"public": PublicSitemap}},
        name="sitemap",
    ),
]
