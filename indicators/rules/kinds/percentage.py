"""A percentage, from 0 to 100 inclusive ("12,5 %")."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.rules.choices import MeasureKind
from indicators.rules.formatting import Formatter, Levels
from indicators.rules.kinds.base import ImportCells, ImportRow, IndicatorKind
from indicators.rules.kinds.registry import register


@register
class PercentageKind(IndicatorKind):
    key = MeasureKind.PERCENTAGE.value
    label = MeasureKind.PERCENTAGE.label
    form_label = gettext_lazy("Percentage (0 to 100)")

    def number_problem(self, number: Decimal) -> str | None:
        if not 0 <= number <= 100:
            return _("A percentage must be between 0 and 100.")
        return None

    def import_value(self, row: ImportRow, cells: ImportCells) -> Decimal | None:
        """A French spreadsheet saves a percentage as « 12,5 % »."""
        return cells.number(row, "value", percent=True)

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        return fmt.percentage(value)
