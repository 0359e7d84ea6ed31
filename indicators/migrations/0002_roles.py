"""Create the two roles with their permissions, as they were when this migration was written.

A frozen copy: later changes to plan.roles are applied by its post_migrate handler, never by
rewriting history here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_READ = [
    "plan.view_strategicplan",
    "plan.view_organisationalvalue",
    "plan.view_orientation",
    "plan.view_result",
    "plan.view_strategy",
    "indicators.view_indicator",
    "indicators.view_dimension",
    "indicators.view_category",
    "indicators.view_scalelevel",
    "indicators.view_reportingperiod",
    "indicators.view_target",
    "indicators.view_measurement",
    "indicators.view_measurementbreakdown",
    "indicators.view_evidence",
    "indicators.view_strategyprogress",
]
_STAFF_WRITE = [
    f"indicators.{action}_{model}"
    for model in ("measurement", "measurementbreakdown", "evidence", "strategyprogress")
    for action in ("add", "change")
]
ROLES = {"Conseil d'administration": _READ, "Personnel": _READ + _STAFF_WRITE}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in ROLES.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("plan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
