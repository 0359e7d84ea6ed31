"""A count broken down by the categories of a dimension; the total is derived from them."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.rules.chart_spec import ChartData, ChartSpec, Drawer
from indicators.rules.choices import MeasureKind, MeasurementStatus
from indicators.rules.formatting import Formatter, trim
from indicators.rules.kinds.base import (
    Breakdown,
    ImportCells,
    ImportReading,
    ImportRow,
    IndicatorKind,
    count_problem,
    number_field,
)
from indicators.rules.kinds.registry import register


def _stack(data: ChartData, period: Any) -> dict[int, Decimal] | None:
    """{category pk: value} of `period`'s bar, or None when the period has no value."""
    measurement = data.measurements.get(period.pk)
    if measurement is None or measurement.value is None:
        return None
    return {b.category_id: b.value for b in data.breakdowns.get(measurement.pk, [])}


@register
class CountByCategoryKind(IndicatorKind):
    """A count broken down by the categories of a dimension; the total is derived."""

    key = MeasureKind.COUNT_BY_CATEGORY.value
    label = MeasureKind.COUNT_BY_CATEGORY.label
    has_categories = True

    def number_problem(self, number: Decimal) -> str | None:
        return count_problem(number)

    def clean(
        self, indicator: Any, *, value: Decimal | None, breakdown: Breakdown, narrative: str
    ) -> tuple[Decimal | None, Breakdown]:
        errors = {}
        categories = {category.pk for category in indicator.dimension.categories.all()}
        for category_id, number in breakdown.items():
            if category_id not in categories:
                errors["breakdown"] = _("Unknown category for this indicator.")
                continue
            problem = count_problem(number)
            if problem:
                errors[f"cat_{category_id}"] = problem
        if not errors and not breakdown:
            errors["breakdown"] = _("Enter the count of at least one category.")
        if errors:
            raise ValidationError(errors)
        return sum(breakdown.values(), Decimal(0)), breakdown

    def add_form_fields(self, form: forms.Form, *, indicator: Any, measurement: Any) -> None:
        current = (
            {item.category_id: item.value for item in measurement.breakdowns.all()}
            if measurement is not None
            else {}
        )
        for category in indicator.dimension.categories.all():
            name = f"cat_{category.pk}"
            form.fields[name] = number_field(
                category.name, widget=forms.TextInput(attrs={"data-breakdown": "1"})
            )
            if category.pk in current:
                form.initial.setdefault(name, trim(current[category.pk]))

    def chart_spec(self, data: ChartData) -> ChartSpec:
        """One bar per period stacked by category, with the target line (once there are
        categories); the table has a column per category."""
        if not data.categories:
            return super().chart_spec(data)
        return ChartSpec(
            drawer=Drawer.STACKED_BARS,
            title=data.title,
            points=data.points,
            earlier=data.earlier,
            categories=[(category.pk, category.name) for category in data.categories],
            stacks=[_stack(data, period) for period in data.periods],
        )

    def export_cells(self, indicator: Any, measurement: Any) -> list[dict[str, Any]]:
        total = {"value": trim(measurement.value)}
        breakdowns = list(measurement.breakdowns.all())
        if not breakdowns:
            return [total]
        return [
            {**total, "category": item.category.name, "category_value": trim(item.value)}
            for item in breakdowns
        ]

    def import_reading(
        self, indicator: Any, group: list[ImportRow], *, status: str | None, cells: ImportCells
    ) -> ImportReading:
        """One row per category. Each row repeats the total ("value"): a total left as it
        was while a category changed is refused, not derived again; an empty total is."""
        if status != MeasurementStatus.RECORDED:
            return cells.number(group[0], "value"), {}, {}
        breakdown: Breakdown = {}
        seen: dict[int, ImportRow] = {}
        for row in group:
            number = cells.number(row, "category_value")
            category = self._import_category(indicator, row, seen, cells)
            if category is not None and number is not None:
                seen[category.pk] = row
                breakdown[category.pk] = number
        totals = [(row, cells.number(row, "value")) for row in group]
        total = sum(breakdown.values(), Decimal(0))
        if breakdown and not any(row.errors for row in group):
            for row, value in totals:
                if value is not None and value != total:
                    row.errors.append(self._total_error(value, total, cells))
        rows_by_field = {f"cat_{category_id}": row for category_id, row in seen.items()}
        return (total if breakdown else totals[0][1]), breakdown, rows_by_field

    @staticmethod
    def _import_category(
        indicator: Any, row: ImportRow, seen: dict[int, ImportRow], cells: ImportCells
    ) -> Any:
        """The category a row names (None, with an error on the row, when it cannot count)."""
        name = (row.data.get("category") or "").strip()
        if not name:
            row.errors.append(
                _("%(column)s: give the category of this count.")
                % {"column": cells.label("category")}
            )
            return None
        category = cells.categories.get(name.lower())
        if category is None:
            row.errors.append(
                _("%(column)s: “%(name)s” is not a category of “%(dimension)s”.")
                % {
                    "column": cells.label("category"),
                    "name": name,
                    "dimension": indicator.dimension.name,
                }
            )
        elif category.pk in seen:
            row.errors.append(
                _("This category is already given on line %(line)s.")
                % {"line": seen[category.pk].line}
            )
            return None
        return category

    @staticmethod
    def _total_error(value: Decimal, total: Decimal, cells: ImportCells) -> str:
        fmt = Formatter.active()
        return _(
            "%(column)s: %(value)s is not the sum of the categories (%(total)s); "
            "write %(total)s or leave the cell empty."
        ) % {"column": cells.label("value"), "value": fmt.number(value), "total": fmt.number(total)}
