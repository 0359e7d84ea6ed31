"""The two roles, declared once as data: group name → permissions ("app_label.codename").

Created by the data migration `indicators.0002_roles` (which keeps its own frozen copy) and
again after every `migrate` or `flush` (post_migrate), so that the groups always exist with
their full permissions.
"""

STAFF_GROUP = "Personnel"
BOARD_GROUP = "Conseil d'administration"

_READ_MODELS = {
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
    "board": ["meeting", "meetingpack"],
}
_STAFF_WRITE_MODELS = ["measurement", "measurementbreakdown", "evidence", "strategyprogress"]

_READ = [
    f"{app_label}.view_{model}" for app_label, models in _READ_MODELS.items() for model in models
]
ROLES = {
    BOARD_GROUP: _READ,
    STAFF_GROUP: _READ
    + [
        f"indicators.{action}_{model}"
        for model in _STAFF_WRITE_MODELS
        for action in ("add", "change")
    ]
    # Staff record board meetings and present them (which freezes their pack).
    + ["board.prepare_meeting"],
}
# Not in any role: "indicators.edit_targets" (the targets grid), granted in the admin.


def roles_ensure(apps, roles=ROLES, *, app_labels=None):
    """Create the groups if missing and add any missing permission (idempotent).

    `app_labels`: only the permissions of these apps (post_migrate runs app by app, and an
    app's permissions exist only once its own post_migrate has created them).
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = [permission.split(".") for permission in permissions]
        group.permissions.add(
            *(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in wanted
                if app_labels is None or app_label in app_labels
            )
        )
