from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tiess import views

admin.site.site_header = _("TIESS strategic plan tracker – administration")
admin.site.site_title = _("TIESS plan tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("indicators.urls")),
    path("", include("plan.urls")),
]

# 403 and 404 use Django's views with templates/403.html and 404.html; 500 stands alone.
handler500 = "tiess.views.server_error"
