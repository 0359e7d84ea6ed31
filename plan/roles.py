"""The roles: their names, and the groups made from what each installed app declares.

Each app lists, on its AppConfig, what every role may do with ITS models:
`roles = {group name: ["view_result", …]}` (codenames of that app's permissions). This module
gathers them from the app registry, so it names no app above `plan`. The groups are created by
a data migration (which keeps its own frozen copy) and again after every `migrate` or `flush`
(post_migrate, connected in PlanConfig.ready), so that they always hold their full permissions.
"""

from django.apps import apps as installed_apps

STAFF_GROUP = "Personnel"
BOARD_GROUP = "Conseil d'administration"
# Who validates the values staff record, when a plan has the validation step.
COORDINATION_GROUP = "Coordination"


def permissions(actions, models):
    """Codenames for each action on each model: ("view",), ["result"] → ["view_result"]."""
    return [f"{action}_{model}" for model in models for action in actions]


def roles_declared(app_configs=None):
    """{group name: ["app_label.codename", …]} from the `roles` of the installed apps."""
    roles = {}
    for app_config in installed_apps.get_app_configs() if app_configs is None else app_configs:
        for group_name, codenames in getattr(app_config, "roles", {}).items():
            roles.setdefault(group_name, []).extend(
                f"{app_config.label}.{codename}" for codename in codenames
            )
    return roles


def roles_ensure(app_configs):
    """Create the groups if missing and give them what these apps declare (idempotent).

    The apps' permissions must exist: post_migrate creates them before it calls this.
    """
    Group = installed_apps.get_model("auth", "Group")
    Permission = installed_apps.get_model("auth", "Permission")
    for group_name, wanted in roles_declared(app_configs).items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in (permission.split(".") for permission in wanted)
            )
        )


def roles_ensure_after_migrate(app_config, **kwargs):
    """post_migrate receiver: the roles declared by the app just migrated."""
    roles_ensure([app_config])
