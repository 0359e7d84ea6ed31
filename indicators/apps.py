from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from plan.roles import BOARD_GROUP, STAFF_GROUP, permissions

_READ = permissions(
    ["view"],
    [
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
)
_RECORD = permissions(
    ["add", "change"], ["measurement", "measurementbreakdown", "evidence", "strategyprogress"]
)


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = _("Indicators")
    # What each role may do with this app's models (plan.roles gathers every app's). Not in
    # any role: "edit_targets" (the targets grid), granted in the admin.
    roles = {BOARD_GROUP: _READ, STAFF_GROUP: _READ + _RECORD}
