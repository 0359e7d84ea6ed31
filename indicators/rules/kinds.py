"""Indicator kinds: one class per kind of measure, owning every rule that depends on the kind.

Each kind declares how a recorded value is cleaned, how a target is checked, how a value is
shown, which fields the measurement form has, which chart draws it, what the board's status
rule needs to know, and its cells in the export and the import. Code elsewhere asks the kind
(`indicator.kind_spec`, or `kind_of(indicator)` for anything with a `kind` attribute); it
never branches on the kind's value.

A new kind is one class registered here (and its member of `MeasureKind`, which the
database's check constraint lists).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.charts import indicator as charts
from indicators.models import Direction, MeasureKind, MeasurementStatus
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
    """A row of an imported file (see imports.ImportRow)."""

    line: int
    data: dict[str, str]
    errors: list[str]


class ImportCells(Protocol):
    """What the import offers a kind to read its cells (see imports.Cells)."""

    # {lower-case category name: Category} of the indicator's dimension.
    categories: Mapping[str, Any]

    def number(self, row: ImportRow, key: str) -> Decimal | None:
        """The number in column `key` of `row`; records an error on the row when unreadable."""

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

    def chart(self, data: charts.ChartData) -> charts.Chart:
        """The indicator page's chart: values against targets, with the baseline."""
        return charts.values_chart(data)

    # --- Export and import ----------------------------------------------------------------

    def export_cells(self, indicator: Any, measurement: Any) -> list[dict[str, Any]]:
        """This kind's columns of the export, one dict per row of the measurement."""
        return [{"value": trim(measurement.value)}]

    # --- Demonstration data (manage.py generate_demo_data) ---------------------------------

    demo_unit: ClassVar[str] = ""
    # Whether some demonstration indicators of this kind are "lower is better".
    demo_can_decrease: ClassVar[bool] = False

    def demo_baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return Decimal(rng.randint(10, 40)) * (100 if decrease else 1)

    def demo_target(self, indicator: Any, share: Decimal) -> Decimal | None:
        """A target `share` of the way through the plan, moving in the indicator's direction."""
        baseline = indicator.baseline_value or Decimal(0)
        if indicator.direction == Direction.DECREASE:
            return (baseline * (Decimal(1) - Decimal("0.6") * share)).quantize(Decimal("1"))
        return (baseline + Decimal(20) + Decimal(200) * share).quantize(Decimal("1"))

    def demo_measure(
        self,
        measurement: Any,
        *,
        indicator: Any,
        target: Decimal | None,
        rng: random.Random,
        categories: list[Any],
        period: Any,
    ) -> list[int] | None:
        """Fill a demonstration measurement; return its breakdown's numbers, if it has one."""
        factor = Decimal(str(round(rng.uniform(0.75, 1.1), 2)))
        if indicator.direction == Direction.DECREASE:
            factor = Decimal(2) - factor
        measurement.value = (target * factor).quantize(Decimal("1"))
        return None

    def import_reading(
        self, indicator: Any, group: list[ImportRow], *, status: str | None, cells: ImportCells
    ) -> ImportReading:
        """Read one indicator-and-period group of imported rows; errors go on the rows."""
        first = group[0]
        value = cells.number(first, "value")
        for row in group[1:]:
            row.errors.append(
                _("This row repeats the indicator and the period of line %(line)s.")
                % {"line": first.line}
            )
        return value, {}, {}


# --- The registry ----------------------------------------------------------------------------

KINDS: dict[str, IndicatorKind] = {}


def register(kind_class: type[IndicatorKind]) -> type[IndicatorKind]:
    """Class decorator: make `kind_class` the kind stored as `kind_class.key`."""
    KINDS[kind_class.key] = kind_class()
    return kind_class


def kind_of(indicator: Any) -> IndicatorKind:
    """The kind of an indicator (or of anything with a `kind` attribute, or of a kind's key)."""
    return KINDS[getattr(indicator, "kind", indicator)]


# --- The kinds -------------------------------------------------------------------------------


@register
class CountKind(IndicatorKind):
    key = MeasureKind.COUNT.value
    label = MeasureKind.COUNT.label
    form_label = gettext_lazy("Number")
    demo_unit = "activités"
    demo_can_decrease = True

    def number_problem(self, number: Decimal) -> str | None:
        return count_problem(number)


@register
class PercentageKind(IndicatorKind):
    key = MeasureKind.PERCENTAGE.value
    label = MeasureKind.PERCENTAGE.label
    form_label = gettext_lazy("Percentage (0 to 100)")
    demo_unit = "%"

    def number_problem(self, number: Decimal) -> str | None:
        if not 0 <= number <= 100:
            return _("A percentage must be between 0 and 100.")
        return None

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        return fmt.percentage(value)

    def demo_target(self, indicator: Any, share: Decimal) -> Decimal | None:
        return (Decimal(40) + Decimal(50) * share).quantize(Decimal("1"))

    def demo_measure(self, measurement: Any, **kwargs: Any) -> list[int] | None:
        super().demo_measure(measurement, **kwargs)
        measurement.value = min(measurement.value, Decimal(100))
        return None


@register
class AmountKind(IndicatorKind):
    key = MeasureKind.AMOUNT.value
    label = MeasureKind.AMOUNT.label
    form_label = gettext_lazy("Amount in dollars")
    demo_unit = "$"
    demo_can_decrease = True

    def number_problem(self, number: Decimal) -> str | None:
        if number < 0:
            return _("An amount cannot be negative.")
        return None

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        return fmt.amount(value)


@register
class LevelKind(IndicatorKind):
    """A level on the indicator's ordinal scale (ScaleLevel): "3 – Expérimentation"."""

    key = MeasureKind.LEVEL.value
    label = MeasureKind.LEVEL.label
    has_levels = True
    form_label = gettext_lazy("Level")
    # A level is checked against its scale; a ratio of levels means nothing.
    checks_plausibility = False

    @staticmethod
    def _scale_problem(value: Decimal, levels: list[int]) -> str | None:
        if not is_whole(value) or int(value) not in levels:
            return _("Choose a level of the scale (%(low)s to %(high)s).") % {
                "low": levels[0],
                "high": levels[-1],
            }
        return None

    def clean(
        self, indicator: Any, *, value: Decimal | None, breakdown: Breakdown, narrative: str
    ) -> tuple[Decimal | None, Breakdown]:
        levels = sorted(level.value for level in indicator.levels.all())
        if not levels:
            raise ValidationError(
                {"level": _("This indicator has no scale yet: an administrator must define it.")}
            )
        if value is None:
            raise ValidationError({"level": _("Choose a level.")})
        problem = self._scale_problem(value, levels)
        if problem:
            raise ValidationError({"level": problem})
        return value, {}

    def target_problem(
        self, indicator: Any, value: Decimal, *, levels: Iterable[int] | None = None
    ) -> str | None:
        if levels is None:
            levels = [level.value for level in indicator.levels.all()] if indicator.pk else []
        levels = sorted(levels)
        # Without a scale yet, any target waits for one.
        return self._scale_problem(value, levels) if levels else None

    def levels_of(self, indicator: Any) -> list[tuple[int, str]]:
        return [(level.value, level.label) for level in indicator.levels.all()]

    def text(self, value: Any, *, fmt: Formatter, unit: str = "", levels: Levels = ()) -> str:
        return fmt.level(value, levels)

    def add_form_fields(self, form: forms.Form, *, indicator: Any, measurement: Any) -> None:
        levels = list(indicator.levels.all())
        fmt = Formatter.active()
        pairs = [(level.value, level.label) for level in levels]
        form.fields["level"] = forms.TypedChoiceField(
            label=self.form_label,
            required=False,
            coerce=int,
            choices=[("", "---------")]
            + [(value, fmt.level(value, pairs)) for value, _label in pairs],
            error_messages={
                "invalid_choice": _("Choose a level of the scale (%(low)s to %(high)s).")
                % {
                    "low": levels[0].value if levels else 1,
                    "high": levels[-1].value if levels else 1,
                }
            },
        )
        if measurement is not None and measurement.value is not None:
            form.initial.setdefault("level", int(measurement.value))

    def demo_baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return Decimal(1)

    def demo_target(self, indicator: Any, share: Decimal) -> Decimal | None:
        return Decimal(min(5, 2 + round(3 * share)))

    def demo_measure(self, measurement: Any, *, target: Any, rng: Any, **kwargs: Any) -> None:
        measurement.value = Decimal(max(1, min(5, int(target) + rng.choice([-1, 0, 0]))))

    def form_value(self, cleaned: Mapping[str, Any]) -> Decimal | None:
        level = cleaned.get("level")
        return None if level in (None, "") else Decimal(level)

    def chart(self, data: charts.ChartData) -> charts.Chart:
        if not data.levels:
            return charts.values_chart(data)
        return charts.levels_chart(data)

    def export_cells(self, indicator: Any, measurement: Any) -> list[dict[str, Any]]:
        label = ""
        if measurement.value is not None:
            label = next(
                (lv.label for lv in indicator.levels.all() if lv.value == measurement.value), ""
            )
        return [{"value": trim(measurement.value), "level_label": label}]


@register
class CountByCategoryKind(IndicatorKind):
    """A count broken down by the categories of a dimension; the total is derived."""

    key = MeasureKind.COUNT_BY_CATEGORY.value
    label = MeasureKind.COUNT_BY_CATEGORY.label
    has_categories = True
    demo_unit = "organisations"

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

    def demo_baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return None

    def demo_measure(
        self, measurement: Any, *, target: Any, rng: Any, categories: list[Any], **kwargs: Any
    ) -> list[int] | None:
        parts = [rng.randint(0, int(target) // len(categories) * 2 + 2) for _ in categories]
        measurement.value = Decimal(sum(parts))
        return parts

    def chart(self, data: charts.ChartData) -> charts.Chart:
        if not data.categories:
            return charts.values_chart(data)
        return charts.breakdown_chart(data)

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
        """One row per category; the "value" column, when given, must be their sum."""
        first = group[0]
        value = cells.number(first, "value")
        breakdown: Breakdown = {}
        seen: dict[int, ImportRow] = {}
        if status != MeasurementStatus.RECORDED:
            return value, breakdown, {}
        for row in group:
            name = (row.data.get("category") or "").strip()
            number = cells.number(row, "category_value")
            if not name:
                row.errors.append(
                    _("%(column)s: give the category of this count.")
                    % {"column": cells.label("category")}
                )
                continue
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
            elif number is not None:
                seen[category.pk] = row
                breakdown[category.pk] = number
        total = sum(breakdown.values(), Decimal(0))
        if value is not None and breakdown and value != total and not any(r.errors for r in group):
            first.errors.append(
                _("%(column)s: %(value)s is not the sum of the categories (%(total)s).")
                % {"column": cells.label("value"), "value": value, "total": total}
            )
        rows_by_field = {f"cat_{category_id}": row for category_id, row in seen.items()}
        return value, breakdown, rows_by_field


@register
class QualitativeKind(IndicatorKind):
    """A narrative only: no number, no target, no status against a target."""

    key = MeasureKind.QUALITATIVE.value
    label = MeasureKind.QUALITATIVE.label
    is_qualitative = True
    is_assessed = False
    has_chart = False
    checks_plausibility = False

    def clean(
        self, indicator: Any, *, value: Decimal | None, breakdown: Breakdown, narrative: str
    ) -> tuple[Decimal | None, Breakdown]:
        if not (narrative or "").strip():
            raise ValidationError({"narrative": _("Describe what was observed.")})
        return None, {}

    def target_problem(
        self, indicator: Any, value: Decimal, *, levels: Iterable[int] | None = None
    ) -> str | None:
        return _("A qualitative indicator has no numeric target or baseline.")

    def measured_text(
        self, measurement: Any, indicator: Any, *, fmt: Formatter | None = None
    ) -> str:
        return measurement.narrative

    def add_form_fields(self, form: forms.Form, *, indicator: Any, measurement: Any) -> None:
        form.fields["narrative"].label = _("Narrative (what was observed)")
        form.fields["narrative"].widget.attrs["rows"] = 6

    def demo_baseline(self, rng: random.Random, *, decrease: bool) -> Decimal | None:
        return None

    def demo_target(self, indicator: Any, share: Decimal) -> Decimal | None:
        return None

    def demo_measure(self, measurement: Any, *, period: Any, **kwargs: Any) -> None:
        measurement.narrative = (
            f"Récit de démonstration pour {period.name} : les collaborations se "
            "diversifient et de nouveaux partenaires se joignent aux travaux."
        )
