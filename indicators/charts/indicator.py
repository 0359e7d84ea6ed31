"""Charts drawn on the server as inline SVG: no library, no script, no inline style.

Every chart has role="img", a <title> and a <desc>; the same numbers go in a table next to it
(`ChartTable`). Colours are presentation attributes or classes of static/css/dashboard.css,
which the strict Content-Security-Policy allows. Every text is escaped by format_html before
the markup is marked safe.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from indicators.rules.formatting import EMPTY, Formatter

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
# The earlier plans' values of an indicator carried over (indicators/continuity.py), greyed.
EARLIER_COLOUR = "#9e9e9e"


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


def _svg_open(width, height, title, desc, css_class):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" role="img" viewBox="0 0 {} {}" '
        'width="{}" height="{}" preserveAspectRatio="xMinYMin meet" aria-label="{}">'
        "<title>{}</title><desc>{}</desc>",
        css_class,
        width,
        height,
        width,
        height,
        title,
        title,
        desc,
    )


def svg_html(template, *args):
    """format_html for SVG: numbers are rounded to 0.1 first, every text is escaped."""
    args = [f"{arg:.1f}" if isinstance(arg, float) else arg for arg in args]
    return format_html(template.replace("{:.1f}", "{}"), *args)


def _join(parts):
    # Every part comes from format_html (already escaped).
    return mark_safe("".join(str(part) for part in parts))


def _nice_max(value):
    """A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value:
            return float(factor * magnitude)
    return float(10 * magnitude)  # pragma: no cover


def _points(coords):
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)


def _segments(coords):
    """Split a series at its gaps (None) so that a missing value breaks the line."""
    segment = []
    for point in coords:
        if point is None:
            if segment:
                yield segment
            segment = []
        else:
            segment.append(point)
    if segment:
        yield segment


def _describe(points, fmt):
    """'2018-2019 : 12 (cible 10) ; …' for the <desc> of a chart."""
    parts = []
    for label, value, target in points:
        shown = fmt.number(value) if value is not None else gettext("no value")
        text = f"{label} : {shown}"
        if target is not None:
            target_word = gettext("target")
            text += f" ({target_word} {fmt.number(target)})"
        parts.append(text)
    return " ; ".join(parts) if parts else gettext("No period.")


def sparkline(points, *, title, width=120, height=32):
    """A small line of values (solid) against targets (dashed) across periods.

    `points`: [(period label, value or None, target or None)] in period order.
    """
    pad = 3
    numbers = [float(v) for _, v, t in points for v in (v, t) if v is not None]
    top = _nice_max(max(numbers)) if numbers else 1.0
    count = len(points)

    def x(index):
        return pad + (width - 2 * pad) * (index / (count - 1) if count > 1 else 0.5)

    def y(number):
        return height - pad - (height - 2 * pad) * float(number) / top

    parts = [_svg_open(width, height, title, _describe(points, Formatter.active()), "sparkline")]
    targets = [(x(i), y(t)) if t is not None else None for i, (_, _, t) in enumerate(points)]
    values = [(x(i), y(v)) if v is not None else None for i, (_, v, _) in enumerate(points)]
    for segment in _segments(targets):
        if len(segment) == 1:
            (cx, cy) = segment[0]
            parts.append(
                svg_html(
                    '<line class="chart-target" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
                    'stroke-width="1.5" stroke-dasharray="3 2"/>',
                    f"{cx - 4:.1f}",
                    f"{cy:.1f}",
                    f"{cx + 4:.1f}",
                    f"{cy:.1f}",
                    TARGET_COLOUR,
                )
            )
        else:
            parts.append(
                svg_html(
                    '<polyline class="chart-target" points="{}" fill="none" stroke="{}" '
                    'stroke-width="1.5" stroke-dasharray="3 2"/>',
                    _points(segment),
                    TARGET_COLOUR,
                )
            )
    for segment in _segments(values):
        if len(segment) > 1:
            parts.append(
                svg_html(
                    '<polyline class="chart-value" points="{}" fill="none" stroke="{}" '
                    'stroke-width="2"/>',
                    _points(segment),
                    VALUE_COLOUR,
                )
            )
    parts.extend(
        svg_html(
            '<circle class="chart-value" cx="{}" cy="{}" r="2.2" fill="{}"/>',
            f"{cx:.1f}",
            f"{cy:.1f}",
            VALUE_COLOUR,
        )
        for point in values
        if point is not None
        for cx, cy in [point]
    )
    if not numbers:
        parts.append(
            svg_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#adb5bd" stroke-dasharray="2 3"/>',
                pad,
                height / 2,
                width - pad,
                height / 2,
            )
        )
    parts.append(mark_safe("</svg>"))
    return _join(parts)


def hidden_table(points, caption):
    """The numbers of a sparkline as a visually hidden table (built here: 200 × 20 rows)."""
    fmt = Formatter.active()
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td></tr>',
        ((label, fmt.number(value), fmt.number(target)) for label, value, target in points),
    )
    return format_html(
        '<table class="visually-hidden"><caption>{}</caption><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr>{}</table>',
        caption,
        gettext("Period"),
        gettext("Value"),
        gettext("Target"),
        rows,
    )


# --------------------------------------------------------------------------------------
# The larger chart of an indicator's page
# --------------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44


def _left_margin(ticks):
    """Room for the longest axis label (« 5 – Transformation » must not lose its first letters)."""
    longest = max((len(str(text)) for _, text in ticks), default=0)
    return max(LEFT, 12 + round(6.5 * longest))


def _frame(labels, top, ticks, left=LEFT):
    """Axes, horizontal grid lines with their labels, and the period labels."""
    plot_width = WIDTH - left - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for value, text in ticks:
        y = TOP + plot_height - plot_height * float(value) / top
        parts.append(
            svg_html(
                '<line class="chart-grid" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" '
                'stroke="#dee2e6"/>'
                '<text class="chart-label" x="{}" y="{:.1f}" text-anchor="end" '
                'dominant-baseline="middle" font-size="11">{}</text>',
                left,
                y,
                WIDTH - RIGHT,
                y,
                left - 6,
                y,
                text,
            )
        )
    slot = plot_width / max(len(labels), 1)
    # Period labels that would overlap are thinned out (the table names every period).
    widest = 8 + 6.5 * max((len(str(label)) for label in labels), default=0)
    step = max(1, math.ceil(widest / slot))
    for index, label in enumerate(labels):
        if index % step:
            continue
        parts.append(
            svg_html(
                '<text class="chart-label" x="{:.1f}" y="{}" text-anchor="middle" '
                'font-size="11">{}</text>',
                left + slot * (index + 0.5),
                HEIGHT - BOTTOM + 16,
                label,
            )
        )
    parts.append(
        svg_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#495057"/>',
            left,
            TOP + plot_height,
            WIDTH - RIGHT,
            TOP + plot_height,
        )
    )
    return parts, slot, plot_height


def _legend_width(label):
    return 28 + 7 * len(str(label))


def _legend_rows(entries):
    """How many rows the legend's swatches take once wrapped to the chart's width."""
    rows, x = 1, LEFT
    for _, label, _ in entries:
        if x > LEFT and x + _legend_width(label) > WIDTH - RIGHT:
            rows, x = rows + 1, LEFT
        x += _legend_width(label)
    return rows if entries else 0


def _legend(entries, y):
    """(colour, label, dashed?) swatches under the plot, wrapped to the chart's width."""
    parts = []
    x = LEFT
    for colour, label, dashed in entries:
        if x > LEFT and x + _legend_width(label) > WIDTH - RIGHT:
            x, y = LEFT, y + 18
        if dashed:
            parts.append(
                svg_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
                    'stroke-dasharray="5 3"/>',
                    x,
                    y - 4,
                    x + 16,
                    y - 4,
                    colour,
                )
            )
        else:
            parts.append(
                svg_html('<rect x="{}" y="{}" width="12" height="10" fill="{}"/>', x, y - 9, colour)
            )
        parts.append(
            svg_html(
                '<text class="chart-label" x="{}" y="{}" font-size="11">{}</text>',
                x + 20,
                y,
                label,
            )
        )
        x += _legend_width(label)
    return parts


def _ticks(top, fmt, count=4):
    return [
        (top * i / count, fmt.number(Decimal(str(round(top * i / count, 2)))))
        for i in range(count + 1)
    ]


def _earlier_line(earlier, *, x, y, fmt):
    """The earlier plans' values: a grey line with grey points, broken where one is missing."""
    coords = [(x(i), y(v)) if v is not None else None for i, (_, v) in enumerate(earlier)]
    parts = [
        svg_html(
            '<polyline class="chart-earlier" points="{}" fill="none" stroke="{}" '
            'stroke-width="2"/>',
            _points(segment),
            EARLIER_COLOUR,
        )
        for segment in _segments(coords)
        if len(segment) > 1
    ]
    for (label, value), point in zip(earlier, coords, strict=True):
        if point is not None:
            parts.append(
                svg_html(
                    '<circle class="chart-earlier" cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}">'
                    "<title>{} : {}</title></circle>",
                    point[0],
                    point[1],
                    EARLIER_COLOUR,
                    label,
                    fmt.number(value),
                )
            )
    return parts


def line_chart(points, *, title, levels=None, baseline=None, earlier=()):
    """Values (points joined by a line) against the target line, across periods.

    `levels`: [(value, label)] of an ordinal scale: the axis then shows the level labels.
    `earlier`: [(label, value or None)] of the earlier plans, drawn in grey before `points`.
    """
    fmt = Formatter.active()
    earlier = list(earlier)
    labels = [label for label, _ in earlier] + [label for label, _, _ in points]
    numbers = [float(v) for _, v, t in points for v in (v, t) if v is not None]
    numbers += [float(v) for _, v in earlier if v is not None]
    if baseline is not None:
        numbers.append(float(baseline))
    if levels:
        top = float(max(value for value, _ in levels))
        ticks = [(value, fmt.level(value, levels)) for value, _label in levels]
    else:
        top = _nice_max(max(numbers)) if numbers else 1.0
        ticks = _ticks(top, fmt)
    described = _describe([(label, value, None) for label, value in earlier] + points, fmt)
    parts = [_svg_open(WIDTH, HEIGHT, title, described, "indicator-chart")]
    left = _left_margin(ticks)
    frame, slot, plot_height = _frame(labels, top, ticks, left)
    parts.extend(frame)

    def y(number):
        return TOP + plot_height - plot_height * float(number) / top

    def x(index):
        return left + slot * (len(earlier) + index + 0.5)

    parts.extend(_earlier_line(earlier, x=lambda i: x(i - len(earlier)), y=y, fmt=fmt))
    if baseline is not None:
        parts.append(
            svg_html(
                '<line class="chart-baseline" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" '
                'stroke="#6c757d" stroke-dasharray="1 3"/>',
                left,
                y(baseline),
                WIDTH - RIGHT,
                y(baseline),
            )
        )
    targets = [(x(i), y(t)) if t is not None else None for i, (_, _, t) in enumerate(points)]
    for segment in _segments(targets):
        if len(segment) == 1:
            segment = [
                (segment[0][0] - slot / 3, segment[0][1]),
                (segment[0][0] + slot / 3, segment[0][1]),
            ]
        parts.append(
            svg_html(
                '<polyline class="chart-target" points="{}" fill="none" stroke="{}" '
                'stroke-width="2" stroke-dasharray="6 4"/>',
                _points(segment),
                TARGET_COLOUR,
            )
        )
    values = [(x(i), y(v)) if v is not None else None for i, (_, v, _) in enumerate(points)]
    for segment in _segments(values):
        if len(segment) > 1:
            parts.append(
                svg_html(
                    '<polyline class="chart-value" points="{}" fill="none" stroke="{}" '
                    'stroke-width="2.5"/>',
                    _points(segment),
                    VALUE_COLOUR,
                )
            )
    for (label, value, _), point in zip(points, values, strict=True):
        if point is not None:
            parts.append(
                svg_html(
                    '<circle class="chart-value" cx="{:.1f}" cy="{:.1f}" r="4" fill="{}">'
                    "<title>{} : {}</title></circle>",
                    point[0],
                    point[1],
                    VALUE_COLOUR,
                    label,
                    fmt.number(value),
                )
            )
    legend = [(VALUE_COLOUR, gettext("Value"), False), (TARGET_COLOUR, gettext("Target"), True)]
    if earlier:
        legend.append((EARLIER_COLOUR, gettext("Earlier plan"), False))
    parts.extend(_legend(legend, HEIGHT - 8))
    parts.append(mark_safe("</svg>"))
    return _join(parts)


def stacked_bars(periods, categories, stacks, targets, *, title, earlier=()):
    """One bar per period, stacked by category, with the target line.

    `stacks`: {period pk: {category pk: value}}; `targets`: {period pk: value};
    `earlier`: [(label, total or None)] of the earlier plans, grey bars before the periods.
    """
    fmt = Formatter.active()
    earlier = list(earlier)
    labels = [label for label, _ in earlier] + [period.name for period in periods]
    totals = [sum(stacks.get(p.pk, {}).values(), Decimal(0)) for p in periods]
    numbers = [float(t) for t in totals] + [float(v) for v in targets.values()]
    numbers += [float(v) for _, v in earlier if v is not None]
    top = _nice_max(max(numbers)) if numbers else 1.0
    points = [
        (p.name, total if p.pk in stacks else None, targets.get(p.pk))
        for p, total in zip(periods, totals, strict=True)
    ]
    colour = {c.pk: PALETTE[i % len(PALETTE)] for i, c in enumerate(categories)}
    legend = [(colour[c.pk], c.name, False) for c in categories]
    if earlier:
        legend.append((EARLIER_COLOUR, gettext("Earlier plan"), False))
    height = HEIGHT + 18 * _legend_rows(legend)
    described = _describe([(label, value, None) for label, value in earlier] + points, fmt)
    parts = [_svg_open(WIDTH, height, title, described, "indicator-chart")]
    frame, slot, plot_height = _frame(labels, top, _ticks(top, fmt))
    parts.extend(frame)
    bar = slot * 0.6
    names = {c.pk: c.name for c in categories}
    for index, (label, total) in enumerate(earlier):
        if not total:
            continue
        h = plot_height * float(total) / top
        parts.append(
            svg_html(
                '<rect class="chart-earlier" x="{:.1f}" y="{:.1f}" width="{:.1f}" '
                'height="{:.1f}" fill="{}"><title>{} : {}</title></rect>',
                LEFT + slot * index + (slot - bar) / 2,
                TOP + plot_height - h,
                bar,
                h,
                EARLIER_COLOUR,
                label,
                fmt.number(total),
            )
        )
    for index, period in enumerate(periods, start=len(earlier)):
        base = 0.0
        x = LEFT + slot * index + (slot - bar) / 2
        for category in categories:
            value = stacks.get(period.pk, {}).get(category.pk)
            if not value:
                continue
            h = plot_height * float(value) / top
            y = TOP + plot_height - plot_height * base / top - h
            parts.append(
                svg_html(
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}">'
                    "<title>{} – {} : {}</title></rect>",
                    x,
                    y,
                    bar,
                    h,
                    colour[category.pk],
                    period.name,
                    names[category.pk],
                    fmt.number(value),
                )
            )
            base += float(value)
        target = targets.get(period.pk)
        if target is not None:
            ty = TOP + plot_height - plot_height * float(target) / top
            parts.append(
                svg_html(
                    '<line class="chart-target" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" '
                    'y2="{:.1f}" stroke="{}" stroke-width="2.5" stroke-dasharray="6 4">'
                    "<title>{} – {} : {}</title></line>",
                    x - 4,
                    ty,
                    x + bar + 4,
                    ty,
                    TARGET_COLOUR,
                    period.name,
                    gettext("target"),
                    fmt.number(target),
                )
            )
    parts.extend(_legend([(TARGET_COLOUR, gettext("Target"), True)], HEIGHT - 8))
    parts.extend(_legend(legend, HEIGHT + 10))
    parts.append(mark_safe("</svg>"))
    return _join(parts)


# --------------------------------------------------------------------------------------
# Assembling an indicator's chart from fetched data
# --------------------------------------------------------------------------------------


def series(periods, measurements, targets):
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
    # [(label « 2018-2023 · 2019-2020 », value or None)] of the earlier plans, oldest first.
    earlier: list = field(default_factory=list)

    @property
    def points(self) -> list[tuple[str, Decimal | None, Decimal | None]]:
        return series(self.periods, self.measurements, self.targets)


def values_chart(data: ChartData) -> Chart:
    """Values (a line) against targets (dashed), from the baseline; numbers in the table."""
    fmt = Formatter.active()
    table = ChartTable(
        caption=data.title, headers=[gettext("Period"), gettext("Value"), gettext("Target")]
    )
    points = data.points
    for label, value in data.earlier:
        table.rows.append([label, fmt.number(value), EMPTY])
    for label, value, target in points:
        table.rows.append([label, fmt.number(value), fmt.number(target)])
    svg = line_chart(
        points, title=data.title, baseline=data.indicator.baseline_value, earlier=data.earlier
    )
    return Chart(svg=svg, table=table)


def levels_chart(data: ChartData) -> Chart:
    """Levels against target levels, on an axis of the scale's labels."""
    fmt = Formatter.active()
    table = ChartTable(
        caption=data.title, headers=[gettext("Period"), gettext("Value"), gettext("Target")]
    )
    points = data.points
    for label, value in data.earlier:
        table.rows.append([label, fmt.level(value, data.levels), EMPTY])
    for label, value, target in points:
        table.rows.append([label, fmt.level(value, data.levels), fmt.level(target, data.levels)])
    svg = line_chart(points, title=data.title, levels=list(data.levels), earlier=data.earlier)
    return Chart(svg=svg, table=table)


def breakdown_chart(data: ChartData) -> Chart:
    """One bar per period stacked by category, with the target line; a column per category."""
    fmt = Formatter.active()
    periods, categories = data.periods, list(data.categories)
    stacks = {}
    for period in periods:
        measurement = data.measurements.get(period.pk)
        if measurement is not None and measurement.value is not None:
            stacks[period.pk] = {
                b.category_id: b.value for b in data.breakdowns.get(measurement.pk, [])
            }
    table = ChartTable(
        caption=data.title,
        headers=[
            gettext("Period"),
            *[c.name for c in categories],
            gettext("Total"),
            gettext("Target"),
        ],
    )
    for label, value in data.earlier:
        table.rows.append([label, *[EMPTY for _ in categories], fmt.number(value), EMPTY])
    for period, (_, value, target) in zip(periods, data.points, strict=True):
        by_category = stacks.get(period.pk, {})
        table.rows.append(
            [
                period.name,
                *[
                    fmt.number(by_category.get(c.pk)) if period.pk in stacks else EMPTY
                    for c in categories
                ],
                fmt.number(value),
                fmt.number(target),
            ]
        )
    svg = stacked_bars(
        periods, categories, stacks, data.targets, title=data.title, earlier=data.earlier
    )
    return Chart(svg=svg, table=table)


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
    """The indicator page's chart and its table, from already-fetched data; its kind draws it.

    `measurements`: {period pk: Measurement}; `targets`: {period pk: value};
    `levels`: [(value, label)]; `breakdowns`: {measurement pk: [MeasurementBreakdown]};
    `earlier`: the earlier plans' [(label, value)] (indicators.continuity.earlier_points).
    """
    # The kinds choose among the charts of this module, which therefore imports them late.
    from indicators.rules.kinds import kind_of

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
    return kind_of(indicator).chart(data)
