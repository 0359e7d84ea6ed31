"""The project's configuration of third-party apps (INSTALLED_APPS points at these classes)."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on the project's site (tiess/admin_site.py)."""

    default_site = "tiess.admin_site.ProjectAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes, whose admin section is named in the reader's language (it has no name)."""

    verbose_name = _("Login security")
