"""The chart of an indicator's page: inline SVG, no library, no script, no inline style.

The indicator's kind describes the chart (a ChartSpec, indicators.rules.chart_spec); a drawer
of this module draws it. Every chart has role="img", a <title> and a <desc>; the same numbers
go in a table next to it (`ChartTable`). Colours are presentation attributes or classes of
static/css/dashboard.css, which the strict Content-Security-Policy allows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils.translation import gettext

from indicators.charts import svg
from indicators.rules.chart_spec import ChartData, ChartSpec, Drawer
from indicators.rules.formatting import EMPTY, Formatter
from indicators.rules.kinds import kind_of

# Twenty distinguishable colours for the categories of stacked bars (17 regions fit).
PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
]
VALUE_COLOUR = "#0b5394"
TARGET_COLOUR = "#b45f06"
# The earlier plans' values of an indicator carried over (indicators.recording.continuity).
EARLIER_COLOUR = "#9e9e9e"
BASELINE_COLOUR = "#6c757d"

AREA = svg.Area(width=640, height=280, left=64, right=16, top=16, bottom=44)
# The legend's first row, under the period labels.
LEGEND_Y = AREA.height - 8


@dataclass
class ChartTable:
    """The numbers of a chart, as a table: its text alternative."""

    caption: str
    headers: list
    rows: list = field(default_factory=list)


@dataclass
class Chart:
    svg: str
    table: ChartTable


def build_indicator_chart(
    indicator: Any,
    *,
    periods: Iterable[Any],
    measurements: dict,
    targets: dict,
    levels: Iterable[tuple[int, str]] = (),
    categories: Iterable[Any] = (),
    breakdowns: dict | None = None,
    earlier: Iterable[tuple[str, Any]] = (),
) -> Chart:
    """The indicator page's chart and its table, from already-fetched data; its kind says what
    the chart shows.

    `measurements`: {period pk: Measurement}; `targets`: {period pk: value};
    `levels`: [(value, label)]; `breakdowns`: {measurement pk: [MeasurementBreakdown]};
    `earlier`: the earlier plans' [(label, value)] (recording.continuity.earlier_points).
    """
    data = ChartData(
        indicator=indicator,
        title=gettext("Values and targets by period: %(indicator)s")
        % {"indicator": indicator.wording},
        periods=list(periods),
        measurements=measurements,
        targets=targets,
        levels=list(levels),
        categories=list(categories),
        breakdowns=breakdowns or {},
        earlier=list(earlier),
    )
    return draw(kind_of(indicator).chart_spec(data))


def draw(spec: ChartSpec) -> Chart:
    """The chart that `spec` describes, and its table."""
    return DRAWERS[spec.drawer](spec)


def _describe(earlier, points, fmt: Formatter) -> str:
    """'2018-2019 : 12 (cible 10) ; …' for the <desc> of a chart (earlier plans first)."""
    parts = [_said(label, value, None, fmt) for label, value in earlier]
    parts.extend(_said(label, value, target, fmt) for label, value, target in points)
    return " ; ".join(parts) if parts else gettext("No period.")


def _said(label, value, target, fmt: Formatter) -> str:
    shown = fmt.number(value) if value is not None else gettext("no value")
    text = f"{label} : {shown}"
    if target is not None:
        target_word = gettext("target")
        text += f" ({target_word} {fmt.number(target)})"
    return text


def _labels(spec: ChartSpec) -> list[str]:
    """The periods along the axis: the earlier plans' first."""
    return [label for label, _ in spec.earlier] + [label for label, _, _ in spec.points]


def _earlier_numbers(spec: ChartSpec) -> list[float]:
    return [float(v) for _, v in spec.earlier if v is not None]


# --------------------------------------------------------------------------------------
# A line of values against the target line
# --------------------------------------------------------------------------------------


def draw_line(spec: ChartSpec) -> Chart:
    """Values (a line) against targets (dashed), from the baseline; numbers in the table.

    With `spec.levels` (a scale), the axis and the table name each value by its level.
    """
    fmt = Formatter.active()
    show = partial(fmt.level, levels=spec.levels) if spec.levels else fmt.number
    table = ChartTable(
        caption=spec.title, headers=[gettext("Period"), gettext("Value"), gettext("Target")]
    )
    table.rows.extend([label, show(value), EMPTY] for label, value in spec.earlier)
    table.rows.extend([label, show(value), show(target)] for label, value, target in spec.points)
    return Chart(svg=line_chart(spec, fmt), table=table)


def _line_axis(spec: ChartSpec, fmt: Formatter) -> tuple[float, list]:
    """The value at the top of the axis, and the axis' (value, label) marks."""
    if spec.levels:
        top = float(max(value for value, _ in spec.levels))
        return top, [(value, fmt.level(value, spec.levels)) for value, _label in spec.levels]
    numbers = [float(v) for _, v, t in spec.points for v in (v, t) if v is not None]
    numbers += _earlier_numbers(spec)
    if spec.baseline is not None:
        numbers.append(float(spec.baseline))
    top = svg.axis_top(numbers)
    return top, svg.ticks(top, fmt)


def line_chart(spec: ChartSpec, fmt: Formatter) -> str:
    """The SVG of a line chart: the earlier plans in grey, the baseline, targets, values."""
    top, ticks = _line_axis(spec, fmt)
    labels = _labels(spec)
    axes = svg.Axes(area=AREA.fitting(ticks), top=top, slots=len(labels))
    shift = len(spec.earlier)
    parts = [
        svg.svg_open(
            AREA.width,
            AREA.height,
            title=spec.title,
            desc=_describe(spec.earlier, spec.points, fmt),
            css_class="indicator-chart",
        ),
        *svg.frame(axes, labels, ticks),
        *_earlier_line(spec.earlier, axes, fmt),
        *_baseline(spec.baseline, axes),
        *_target_line(spec, axes, shift),
        *_value_line(spec, axes, shift, fmt),
    ]
    legend = [(VALUE_COLOUR, gettext("Value"), False), (TARGET_COLOUR, gettext("Target"), True)]
    if spec.earlier:
        legend.append((EARLIER_COLOUR, gettext("Earlier plan"), False))
    parts.extend(svg.legend(AREA, legend, LEGEND_Y))
    parts.append(svg.SVG_END)
    return svg.join(parts)


def _earlier_line(earlier, axes: svg.Axes, fmt: Formatter) -> list:
    """The earlier plans' values: a grey line with grey points, broken where one is missing."""
    coords = [(axes.x(i), axes.y(v)) if v is not None else None for i, (_, v) in enumerate(earlier)]
    parts = [
        svg.polyline(segment, css_class="chart-earlier", colour=EARLIER_COLOUR, width="2")
        for segment in svg.segments(coords)
        if len(segment) > 1
    ]
    parts.extend(
        svg.dot(
            point,
            css_class="chart-earlier",
            radius="3.5",
            colour=EARLIER_COLOUR,
            label=label,
            text=fmt.number(value),
        )
        for (label, value), point in zip(earlier, coords, strict=True)
        if point is not None
    )
    return parts


def _baseline(baseline, axes: svg.Axes) -> list:
    """A dotted line across the plot at the baseline value."""
    if baseline is None:
        return []
    area = axes.area
    return [
        svg.svg_html(
            '<line class="chart-baseline" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" '
            'stroke="{}" stroke-dasharray="1 3"/>',
            area.left,
            axes.y(baseline),
            area.width - area.right,
            axes.y(baseline),
            BASELINE_COLOUR,
        )
    ]


def _target_line(spec: ChartSpec, axes: svg.Axes, shift: int) -> list:
    """The targets, dashed; a target alone between gaps is a short dash across its slot."""
    coords = [
        (axes.x(shift + i), axes.y(t)) if t is not None else None
        for i, (_, _, t) in enumerate(spec.points)
    ]
    parts = []
    for segment in svg.segments(coords):
        if len(segment) == 1:
            (x, y) = segment[0]
            segment = [(x - axes.slot / 3, y), (x + axes.slot / 3, y)]
        parts.append(
            svg.polyline(
                segment, css_class="chart-target", colour=TARGET_COLOUR, width="2", dash="6 4"
            )
        )
    return parts


def _value_line(spec: ChartSpec, axes: svg.Axes, shift: int, fmt: Formatter) -> list:
    """The values: a line through them, broken where one is missing, and a point on each."""
    coords = [
        (axes.x(shift + i), axes.y(v)) if v is not None else None
        for i, (_, v, _) in enumerate(spec.points)
    ]
    parts = [
        svg.polyline(segment, css_class="chart-value", colour=VALUE_COLOUR, width="2.5")
        for segment in svg.segments(coords)
        if len(segment) > 1
    ]
    parts.extend(
        svg.dot(
            point,
            css_class="chart-value",
            radius="4",
            colour=VALUE_COLOUR,
            label=label,
            text=fmt.number(value),
        )
        for (label, value, _), point in zip(spec.points, coords, strict=True)
        if point is not None
    )
    return parts


# --------------------------------------------------------------------------------------
# Bars stacked by category
# --------------------------------------------------------------------------------------


def draw_stacked_bars(spec: ChartSpec) -> Chart:
    """One bar per period stacked by category, with the target line; a column per category."""
    fmt = Formatter.active()
    table = ChartTable(
        caption=spec.title,
        headers=[
            gettext("Period"),
            *[name for _, name in spec.categories],
            gettext("Total"),
            gettext("Target"),
        ],
    )
    empty_categories = [EMPTY for _ in spec.categories]
    for label, value in spec.earlier:
        table.rows.append([label, *empty_categories, fmt.number(value), EMPTY])
    for (label, value, target), stack in zip(spec.points, spec.stacks, strict=True):
        by_category = (
            empty_categories
            if stack is None
            else [fmt.number(stack.get(key)) for key, _ in spec.categories]
        )
        table.rows.append([label, *by_category, fmt.number(value), fmt.number(target)])
    return Chart(svg=stacked_bars(spec, fmt), table=table)


@dataclass(frozen=True)
class _Bars:
    """Where the bars of a stacked chart stand: its axes, the bars' width, their colours."""

    axes: svg.Axes
    colours: dict

    @property
    def width(self) -> float:
        return self.axes.slot * 0.6

    def left(self, index: int) -> float:
        axes = self.axes
        return axes.area.left + axes.slot * index + (axes.slot - self.width) / 2

    def height_of(self, number) -> float:
        return self.axes.area.plot_height * float(number) / self.axes.top


def stacked_bars(spec: ChartSpec, fmt: Formatter) -> str:
    """The SVG of stacked bars: the earlier plans' totals in grey, then each period's stack
    and its target, then the legend (one swatch per category, wrapped)."""
    labels = _labels(spec)
    totals = [sum((stack or {}).values(), Decimal(0)) for stack in spec.stacks]
    numbers = [float(total) for total in totals]
    numbers += [float(t) for _, _, t in spec.points if t is not None] + _earlier_numbers(spec)
    top = svg.axis_top(numbers)
    bars = _Bars(
        axes=svg.Axes(area=AREA, top=top, slots=len(labels)),
        colours={key: PALETTE[i % len(PALETTE)] for i, (key, _) in enumerate(spec.categories)},
    )
    legend = [(bars.colours[key], name, False) for key, name in spec.categories]
    if spec.earlier:
        legend.append((EARLIER_COLOUR, gettext("Earlier plan"), False))
    height = AREA.height + svg.LEGEND_ROW * svg.legend_rows(AREA, legend)
    # The bars say the totals of their stacks.
    drawn = [
        (label, total if stack is not None else None, target)
        for (label, _, target), total, stack in zip(spec.points, totals, spec.stacks, strict=True)
    ]
    parts = [
        svg.svg_open(
            AREA.width,
            height,
            title=spec.title,
            desc=_describe(spec.earlier, drawn, fmt),
            css_class="indicator-chart",
        ),
        *svg.frame(bars.axes, labels, svg.ticks(top, fmt)),
        *_earlier_bars(spec.earlier, bars, fmt),
        *_period_bars(spec, bars, fmt),
        *svg.legend(AREA, [(TARGET_COLOUR, gettext("Target"), True)], LEGEND_Y),
        *svg.legend(AREA, legend, AREA.height + 10),
        svg.SVG_END,
    ]
    return svg.join(parts)


def _earlier_bars(earlier, bars: _Bars, fmt: Formatter) -> list:
    """The earlier plans' totals: one grey bar each, before the periods."""
    plot_bottom = bars.axes.area.top + bars.axes.area.plot_height
    return [
        svg.svg_html(
            '<rect class="chart-earlier" x="{:.1f}" y="{:.1f}" width="{:.1f}" '
            'height="{:.1f}" fill="{}"><title>{} : {}</title></rect>',
            bars.left(index),
            plot_bottom - bars.height_of(total),
            bars.width,
            bars.height_of(total),
            EARLIER_COLOUR,
            label,
            fmt.number(total),
        )
        for index, (label, total) in enumerate(earlier)
        if total
    ]


def _period_bars(spec: ChartSpec, bars: _Bars, fmt: Formatter) -> list:
    """Each period's stack, bottom up in the categories' order, and its target across it."""
    names = dict(spec.categories)
    parts = []
    for index, ((label, _, target), stack) in enumerate(
        zip(spec.points, spec.stacks, strict=True), start=len(spec.earlier)
    ):
        x = bars.left(index)
        base = 0.0
        for key, _ in spec.categories:
            value = (stack or {}).get(key)
            if not value:
                continue
            parts.append(_block(bars, x, base, value, key, f"{label} – {names[key]}", fmt))
            base += float(value)
        if target is not None:
            parts.append(_bar_target(bars, x, target, label, fmt))
    return parts


def _block(bars: _Bars, x, base, value, key, name, fmt: Formatter):
    """One category's block of a bar, on top of `base`."""
    area = bars.axes.area
    h = bars.height_of(value)
    return svg.svg_html(
        '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
        "<title>{} : {}</title></rect>",
        x,
        area.top + area.plot_height - area.plot_height * base / bars.axes.top - h,
        bars.width,
        h,
        bars.colours[key],
        name,
        fmt.number(value),
    )


def _bar_target(bars: _Bars, x, target, label, fmt: Formatter):
    """The period's target: a dashed line across its bar."""
    y = bars.axes.y(target)
    return svg.svg_html(
        '<line class="chart-target" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" '
        'y2="{:.1f}" stroke="{}" stroke-width="2.5" stroke-dasharray="6 4">'
        "<title>{} – {} : {}</title></line>",
        x - 4,
        y,
        x + bars.width + 4,
        y,
        TARGET_COLOUR,
        label,
        gettext("target"),
        fmt.number(target),
    )


DRAWERS = {Drawer.LINE: draw_line, Drawer.STACKED_BARS: draw_stacked_bars}
