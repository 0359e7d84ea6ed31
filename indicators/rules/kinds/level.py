"""A level on the indicator's ordinal scale, checked against the scale's levels."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.rules.chart_spec import ChartData, ChartSpec, line_spec
from indicators.rules.choices import MeasureKind
from indicators.rules.formatting import Formatter, Levels, trim
from indicators.rules.kinds.base import Breakdown, IndicatorKind, is_whole
from indicators.rules.kinds.registry import register


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

    def form_value(self, cleaned: Mapping[str, Any]) -> Decimal | None:
        level = cleaned.get("level")
        return None if level in (None, "") else Decimal(level)

    def chart_spec(self, data: ChartData) -> ChartSpec:
        """Levels against target levels, on an axis of the scale's labels (once it has one)."""
        if not data.levels:
            return super().chart_spec(data)
        return line_spec(data, levels=list(data.levels))

    def export_cells(self, indicator: Any, measurement: Any) -> list[dict[str, Any]]:
        label = ""
        if measurement.value is not None:
            label = next(
                (lv.label for lv in indicator.levels.all() if lv.value == measurement.value), ""
            )
        return [{"value": trim(measurement.value), "level_label": label}]
