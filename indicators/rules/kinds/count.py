"""A count: a whole number, not below zero ("12 activités")."""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from indicators.rules.choices import MeasureKind
from indicators.rules.kinds.base import IndicatorKind, count_problem
from indicators.rules.kinds.registry import register


@register
class CountKind(IndicatorKind):
    key = MeasureKind.COUNT.value
    label = MeasureKind.COUNT.label
    form_label = gettext_lazy("Number")

    def number_problem(self, number: Decimal) -> str | None:
        return count_problem(number)
