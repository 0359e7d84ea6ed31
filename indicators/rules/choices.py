"""The choices the rules are written against: the kind of measure, the direction, the status.

They live here, below the models, so that the kinds (indicators.rules.kinds) can name them
without importing the models; indicators.models re-exports them for every other caller.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class MeasureKind(TextChoices):
    COUNT = "count", _("count")
    COUNT_BY_CATEGORY = "count_by_category", _("count by category")
    LEVEL = "level", _("level on a scale")
    PERCENTAGE = "percentage", _("percentage")
    AMOUNT = "amount", _("amount in dollars")
    QUALITATIVE = "qualitative", _("qualitative (narrative only)")


class Direction(TextChoices):
    INCREASE = "increase", _("higher is better")
    DECREASE = "decrease", _("lower is better")


class MeasurementStatus(TextChoices):
    RECORDED = "recorded", _("recorded")
    NOT_MEASURED = "not_measured", _("not measured / not applicable")
