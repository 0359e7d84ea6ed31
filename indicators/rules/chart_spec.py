"""What an indicator's chart shows, as plain data: the kinds describe it, indicators.charts
draws it.

`ChartData` is what the page already fetched; an indicator's kind turns it into a `ChartSpec`
(which drawer, the series, the scale's levels, the categories of the stacks). The drawers of
indicators.charts read nothing else, so neither side imports the other.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

# (period label, value or None, target or None), in period order.
Point = tuple[str, Decimal | None, Decimal | None]
# (label « 2018-2023 · 2019-2020 », value or None) of an earlier plan, oldest first.
EarlierPoint = tuple[str, Decimal | None]


def series(periods: list[Any], measurements: dict, targets: dict) -> list[Point]:
    """[(period name, value or None, target or None)] in period order."""
    points = []
    for period in periods:
        measurement = measurements.get(period.pk)
        value = measurement.value if measurement is not None else None
        points.append((period.name, value, targets.get(period.pk)))
    return points


@dataclass
class ChartData:
    """What an indicator's chart is drawn from, already fetched by the page."""

    indicator: Any
    title: str
    periods: list
    # {period pk: Measurement}; {period pk: target value}
    measurements: dict
    targets: dict
    # [(level, label)] of a scale; the dimension's categories; {measurement pk: [breakdowns]}
    levels: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    breakdowns: dict = field(default_factory=dict)
    earlier: list[EarlierPoint] = field(default_factory=list)

    @property
    def points(self) -> list[Point]:
        return series(self.periods, self.measurements, self.targets)


class Drawer(StrEnum):
    """The drawers of indicators.charts."""

    # Values (a line) against targets (dashed); the scale's labels on the axis when `levels`.
    LINE = "line"
    # One bar per period, stacked by category, with the target line.
    STACKED_BARS = "stacked_bars"


@dataclass(frozen=True)
class ChartSpec:
    """An indicator's chart as plain data: which drawer, and everything it draws."""

    drawer: Drawer
    title: str
    points: list[Point]
    earlier: list[EarlierPoint] = field(default_factory=list)
    # A dotted line across the plot (the indicator's baseline value).
    baseline: Decimal | None = None
    # [(level, label)]: the axis and the table show a value by its level's label.
    levels: list[tuple[int, str]] = field(default_factory=list)
    # [(key, name)] of the stacks' categories, in stacking order.
    categories: list[tuple[Any, str]] = field(default_factory=list)
    # One per point: {category key: value}, or None where the period has no value.
    stacks: list[dict[Any, Decimal] | None] = field(default_factory=list)


def line_spec(data: ChartData, **kwargs: Any) -> ChartSpec:
    """A line chart of `data`'s values against its targets (`kwargs`: baseline, levels)."""
    return ChartSpec(
        drawer=Drawer.LINE, title=data.title, points=data.points, earlier=data.earlier, **kwargs
    )
