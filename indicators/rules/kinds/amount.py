"""An amount in dollars, not below zero, with cents ("1 234,50 $")."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.rules.choices import MeasureKind
from indicators.rules.formatting import Formatter, Levels
from indicators.rules.kinds.base import IndicatorKind
from indicators.rules.kinds.registry import register


@register
class AmountKind(IndicatorKind):
    key = MeasureKind.AMOUNT.value
    label = MeasureKind.AMOUNT.label
    form_label = gettext_lazy("Amount in dollars")

    def number_problem(self, number: Decimal) -> str | None:
        if number < 0:
            return _("An amount cannot be negative.")
        return None

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        return fmt.amount(value)
