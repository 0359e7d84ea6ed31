from django.apps import AppConfig
from django.db.models.signals import post_migrate

from plan.roles import (
    BOARD_GROUP,
    COORDINATION_GROUP,
    STAFF_GROUP,
    permissions,
    roles_ensure_after_migrate,
)

_READ = permissions(
    ["view"], ["strategicplan", "organisationalvalue", "orientation", "result", "strategy"]
)


class PlanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plan"
    # What each role may do with this app's models (plan.roles gathers every app's).
    # Staff prepare the next plan with the administrators: they read drafts; the board does not.
    roles = {
        BOARD_GROUP: _READ,
        STAFF_GROUP: [*_READ, "read_draft_plans"],
        COORDINATION_GROUP: _READ,
    }

    def ready(self):
        # After each `migrate` (and `flush`), every app's roles come back with their permissions.
        post_migrate.connect(roles_ensure_after_migrate, dispatch_uid="plan_roles_ensure")
