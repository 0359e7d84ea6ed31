from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_board_roles(**kwargs):
    from plan.roles import roles_ensure

    # The board's permissions exist once this app's own post_migrate has created them.
    roles_ensure(apps, app_labels={"board"})


class BoardConfig(AppConfig):
    """What the board reads: an app of its own for its template tags, meetings and packs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators.board"
    label = "board"
    verbose_name = _("Board")

    def ready(self):
        post_migrate.connect(_ensure_board_roles, sender=self, dispatch_uid="board_ensure_roles")
        from indicators.board import cache
        from indicators.board.digest import pack_digest_send
        from indicators.board.services import demo_plan_meetings_delete
        from indicators.board.signals import pack_frozen
        from indicators.lifecycle.demo import demo_plan_deleting

        cache.connect()
        pack_frozen.connect(pack_digest_send, dispatch_uid="board_digest")
        demo_plan_deleting.connect(demo_plan_meetings_delete, dispatch_uid="board_demo_meetings")
