from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tiess import views
from tiess.passwords import ThrottledPasswordChangeView

admin.site.site_header = _("TIESS strategic plan tracker – administration")
admin.site.site_title = _("TIESS plan tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # No password reset by e-mail: the app sends no mail; admins reset passwords in /admin/.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        ThrottledPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("indicators.urls")),
    path("", include("plan.urls")),
    path("", include("indicators.board.urls")),
]

# 403 and 404 use Django's views with templates/403.html and 404.html; 500 stands alone.
handler500 = "tiess.views.server_error"
