from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_roles(**kwargs):
    from plan.roles import roles_ensure

    roles_ensure(apps, app_labels={"plan", "indicators"})


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"

    def ready(self):
        # After `flush` (and each `migrate`), the groups come back with their permissions.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="indicators_ensure_roles")
