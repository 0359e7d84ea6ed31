from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from plan.roles import BOARD_GROUP, STAFF_GROUP, permissions

_READ = permissions(["view"], ["meeting", "meetingpack"])


class BoardConfig(AppConfig):
    """What the board reads: an app of its own for its template tags, meetings and packs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators.board"
    label = "board"
    verbose_name = _("Board")
    # What each role may do with this app's models (plan.roles gathers every app's). Staff
    # record board meetings and present them (which freezes their pack).
    roles = {BOARD_GROUP: _READ, STAFF_GROUP: [*_READ, "prepare_meeting"]}

    def ready(self):
        from indicators.board import cache
        from indicators.board.digest import pack_digest_send
        from indicators.board.services import demo_plan_meetings_delete
        from indicators.board.signals import pack_frozen
        from indicators.board.warm import warm_after_bump
        from indicators.lifecycle.demo import demo_plan_deleting
        from plan.versions import data_version_bumped

        cache.connect()
        pack_frozen.connect(pack_digest_send, dispatch_uid="board_digest")
        demo_plan_deleting.connect(demo_plan_meetings_delete, dispatch_uid="board_demo_meetings")
        data_version_bumped.connect(warm_after_bump, dispatch_uid="board_warm")
