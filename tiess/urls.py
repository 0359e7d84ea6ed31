from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from indicators.notifications import views as account_views
from tiess import views
from tiess.passwords import ThrottledPasswordChangeView

admin.site.site_header = _("TIESS strategic plan tracker – administration")
admin.site.site_title = _("TIESS plan tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/accueil/", account_views.landing, name="landing"),
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
    # Password reset by e-mail (only when mail is configured) and e-mail preferences.
    path("accounts/password_reset/", account_views.password_reset, name="password_reset"),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("compte/rappels/", account_views.email_preferences, name="email_preferences"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("indicators.api.urls")),
    path("", include("indicators.urls")),
    path("", include("plan.urls")),
    path("", include("indicators.board.urls")),
    # The public progress pages, robots.txt and the sitemap: the only pages without login.
    path("", include("indicators.public.urls")),
]

# 403 and 404 use Django's views with templates/403.html and 404.html; 500 stands alone.
handler500 = "tiess.views.server_error"
