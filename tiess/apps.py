"""The project's configuration of third-party apps (INSTALLED_APPS points at these classes)."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on the project's site (tiess/admin_site.py)."""

    default_site = "tiess.admin_site.ProjectAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes, whose admin section is named in the reader's language (it has no name)."""

    verbose_name = _("Login security")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db, the task queue in the database: its admin section lists the tasks (to
    see one that failed), named in the reader's language."""

    verbose_name = _("Background tasks")
