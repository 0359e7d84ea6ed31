"""The choices the rules are written against: the kind of measure, the direction, the status.

They live here, below the models, so that the kinds (indicators.rules.kinds) can name them
without importing the models; indicators.models re-exports them for every other caller.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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


class MeasurementValidation(TextChoices):
    """Where a value stands in the plan's validation step (plan.validation_enabled)."""

    # Recorded while the plan had no validation step: nothing to check, shown as it is.
    NOT_REQUIRED = "not_required", _("no validation step")
    PENDING = "pending", _("to validate")
    VALIDATED = "validated", pgettext_lazy("value", "validated")
    RETURNED = "returned", pgettext_lazy("value", "returned")


# The states the board sees marked « non validée ».
UNVALIDATED_STATES = (MeasurementValidation.PENDING, MeasurementValidation.RETURNED)
