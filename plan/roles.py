"""The two roles and their permissions.

Created by the data migration `indicators.0002_roles` and again after every `migrate` or
`flush` (post_migrate), so that the groups always exist with their full permissions.
"""

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


def roles_ensure(apps):
    """Create the groups if missing and add any missing permission (idempotent)."""
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
