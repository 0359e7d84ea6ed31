"""Create the two roles with their permissions (idempotent: re-running only adds missing ones)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

STAFF_GROUP = "Personnel"
BOARD_GROUP = "Conseil d'administration"

READ_MODELS = {
    "plan": ["strategicplan", "organisationalvalue", "orientation", "result", "strategy"],
    "indicators": [
        "indicator",
        "dimension",
        "category",
        "scalelevel",
        "reportingperiod",
        "target",
        "measurement",
        "measurementbreakdown",
        "evidence",
        "strategyprogress",
    ],
}
STAFF_WRITE_MODELS = ["measurement", "measurementbreakdown", "evidence", "strategyprogress"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    read = [
        permission(app_label, f"view_{model}")
        for app_label, models in READ_MODELS.items()
        for model in models
    ]
    write = [
        permission("indicators", f"{action}_{model}")
        for model in STAFF_WRITE_MODELS
        for action in ("add", "change")
    ]
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff.permissions.add(*read, *write)
    board, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    board.permissions.add(*read)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("plan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
