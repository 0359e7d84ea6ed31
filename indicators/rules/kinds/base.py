"""What every kind shares: the base class, whose defaults fit one number typed by a person,
and the shapes a kind reads and returns (a breakdown, the import's rows and cells)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.rules.chart_spec import ChartData, ChartSpec, line_spec
from indicators.rules.choices import MeasurementStatus
from indicators.rules.formatting import Formatter, Levels, trim
from indicators.rules.numbers import NumberField

# {category id: number} of a count by category.
Breakdown = dict[int, Decimal]


def number_field(label: str | Promise, **kwargs: Any) -> NumberField:
    """A number typed in the active language ("12,5" in French), by the one number rule."""
    return NumberField(label=label, required=False, **kwargs)


def is_whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def count_problem(number: Decimal) -> str | None:
    """Why `number` cannot be a count, or None."""
    if number < 0:
        return _("A count cannot be negative.")
    if not is_whole(number):
        return _("A count must be a whole number (no decimals).")
    return None


class ImportRow(Protocol):
    """A row of an imported file (see spreadsheets.values_import.ImportRow)."""

    line: int
    data: dict[str, str]
    errors: list[str]


class ImportCells(Protocol):
    """What the import offers a kind to read its cells (see spreadsheets.values_import.Cells)."""

    # {lower-case category name: Category} of the indicator's dimension.
    categories: Mapping[str, Any]

    def number(self, row: ImportRow, key: str, *, percent: bool = False) -> Decimal | None:
        """The number in column `key` of `row`; records an error on the row when unreadable.
        With `percent`, a trailing « % » is accepted (numbers.parse_number)."""

    def label(self, key: str) -> str:
        """The header of column `key`, in the active language."""


# The import's reading of one group of rows: value, breakdown, and the row of each form field
# (so that a service error on "cat_12" lands on the row of that category).
ImportReading = tuple[Decimal | None, Breakdown, dict[str, ImportRow]]


class IndicatorKind:
    """A kind of measure. The defaults fit one number typed by a person, in the indicator's unit.

    Properties for templates and callers: `is_qualitative`, `has_levels`, `has_categories`,
    `is_assessed` (compared with a target on the board), `has_chart`.
    """

    key: ClassVar[str]
    label: ClassVar[str | Promise]
    is_qualitative: ClassVar[bool] = False
    has_levels: ClassVar[bool] = False
    has_categories: ClassVar[bool] = False
    is_assessed: ClassVar[bool] = True
    has_chart: ClassVar[bool] = True
    form_label: ClassVar[str | Promise] = gettext_lazy("Value")

    def __str__(self) -> str:
        return str(self.label)

    # --- Cleaning and checking ------------------------------------------------------------

    def number_problem(self, number: Decimal) -> str | None:
        """Why `number` cannot be a value of this kind, or None (values and targets alike)."""
        return None

    def clean(
        self, indicator: Any, *, value: Decimal | None, breakdown: Breakdown, narrative: str
    ) -> tuple[Decimal | None, Breakdown]:
        """The (value, breakdown) to store for a recorded measurement.

        Raises ValidationError keyed by the measurement form's field names.
        """
        if value is None:
            raise ValidationError({"value": _("Enter a value.")})
        problem = self.number_problem(value)
        if problem:
            raise ValidationError({"value": problem})
        return value, {}

    def target_problem(
        self, indicator: Any, value: Decimal, *, levels: Iterable[int] | None = None
    ) -> str | None:
        """Why `value` cannot be a target (or baseline) of `indicator`, or None."""
        return self.number_problem(value)

    # Whether a value far from the previous period's must be confirmed (see plausibility_problem).
    checks_plausibility: ClassVar[bool] = True

    def plausibility_problem(
        self, indicator: Any, value: Decimal | None, *, previous: Decimal | None
    ) -> str | None:
        """Why `value` looks implausible and must be confirmed, or None.

        Implausible: above the indicator's `plausible_maximum`; or, when the previous period
        has a value above 0, more than `plausibility_factor` (N) times it or less than 1/N of
        it. Exactly N times (or 1/N) is plausible.
        """
        if value is None or not self.checks_plausibility:
            return None
        fmt = Formatter.active()
        maximum = getattr(indicator, "plausible_maximum", None)
        if maximum is not None and value > maximum:
            return _(
                "This value (%(value)s) is above the plausible maximum of this indicator "
                "(%(maximum)s)."
            ) % {
                "value": self.value_text(indicator, value, fmt=fmt),
                "maximum": self.value_text(indicator, maximum, fmt=fmt),
            }
        factor = getattr(indicator, "plausibility_factor", None) or Decimal(3)
        if previous is None or previous <= 0:
            return None
        if value > previous * factor:
            message = _(
                "This value (%(value)s) is more than %(factor)s times the previous period's "
                "(%(previous)s)."
            )
        elif value * factor < previous:
            message = _(
                "This value (%(value)s) is less than the previous period's (%(previous)s) "
                "divided by %(factor)s."
            )
        else:
            return None
        return message % {
            "value": self.value_text(indicator, value, fmt=fmt),
            "factor": fmt.number(factor),
            "previous": self.value_text(indicator, previous, fmt=fmt),
        }

    # --- Display --------------------------------------------------------------------------

    def levels_of(self, indicator: Any) -> list[tuple[int, str]]:
        """The (level, label) pairs that show a value (only level kinds have any)."""
        return []

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        """A value (or target) for people: "12 outils" here; each kind has its own."""
        return fmt.quantity(value, unit)

    def value_text(
        self,
        indicator: Any,
        value: Any,
        *,
        fmt: Formatter | None = None,
        levels: Levels | None = None,
    ) -> str:
        """A value of `indicator`; `levels` avoids reading the scale when already fetched."""
        return self.text(
            value,
            fmt=fmt or Formatter.active(),
            unit=getattr(indicator, "unit", ""),
            levels=self.levels_of(indicator) if levels is None else levels,
        )

    def answer_text(self, measurement: Any, indicator: Any, *, fmt: Formatter | None = None) -> str:
        """The answer a measurement gives, as one short text."""
        if measurement.status == MeasurementStatus.NOT_MEASURED:
            return _("not measured / not applicable")
        return self.measured_text(measurement, indicator, fmt=fmt)

    def measured_text(
        self, measurement: Any, indicator: Any, *, fmt: Formatter | None = None
    ) -> str:
        """What a recorded measurement says: its value here, its narrative for a narrative."""
        return self.value_text(indicator, measurement.value, fmt=fmt)

    # --- The measurement form -------------------------------------------------------------

    def add_form_fields(self, form: forms.Form, *, indicator: Any, measurement: Any) -> None:
        """Add this kind's value fields to a MeasurementForm ("value", "level" or "cat_<id>")."""
        form.fields["value"] = number_field(self.form_label)
        if measurement is not None and measurement.value is not None:
            form.initial.setdefault("value", trim(measurement.value))

    def form_value(self, cleaned: Mapping[str, Any]) -> Decimal | None:
        """The value typed in the form, before the service checks it."""
        return cleaned.get("value")

    # --- Board ----------------------------------------------------------------------------

    def adds_up(self, indicator: Any) -> bool:
        """Whether the board sums the values of the periods so far (a cumulative indicator)."""
        return bool(indicator.is_cumulative)

    # --- Chart ----------------------------------------------------------------------------

    def chart_spec(self, data: ChartData) -> ChartSpec:
        """The indicator page's chart: values against targets, with the baseline."""
        return line_spec(data, baseline=data.indicator.baseline_value)

    # --- Export and import ----------------------------------------------------------------

    def export_cells(self, indicator: Any, measurement: Any) -> list[dict[str, Any]]:
        """This kind's columns of the export, one dict per row of the measurement."""
        return [{"value": trim(measurement.value)}]

    def import_value(self, row: ImportRow, cells: ImportCells) -> Decimal | None:
        """The number of the column "value" of an imported row."""
        return cells.number(row, "value")

    def import_reading(
        self, indicator: Any, group: list[ImportRow], *, status: str | None, cells: ImportCells
    ) -> ImportReading:
        """Read one indicator-and-period group of imported rows; errors go on the rows."""
        first = group[0]
        value = self.import_value(first, cells)
        for row in group[1:]:
            row.errors.append(
                _("This row repeats the indicator and the period of line %(line)s.")
                % {"line": first.line}
            )
        return value, {}, {}
