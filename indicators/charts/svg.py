"""The SVG toolkit every chart is drawn with: markup, scales, axes, legend, data table.

Every text is escaped by format_html before the markup is marked safe; colours are
presentation attributes (no inline style: the strict Content-Security-Policy holds). Numbers
are written to 0.1 (`svg_html`), so a chart's markup is the same from one run to the next.
"""

import math
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from indicators.rules.formatting import Formatter

SVG_END = mark_safe("</svg>")
GRID_COLOUR = "#dee2e6"
AXIS_COLOUR = "#495057"
# Room for one character of an 11-pixel label: axis labels and legend entries are measured so.
CHAR_WIDTH = 6.5


def svg_html(template: str, *args) -> SafeString:
    """format_html for SVG: numbers are rounded to 0.1 first, every text is escaped."""
    args = [f"{arg:.1f}" if isinstance(arg, float) else arg for arg in args]
    return format_html(template.replace("{:.1f}", "{}"), *args)


def join(parts) -> SafeString:
    # Every part comes from format_html (already escaped).
    return mark_safe("".join(str(part) for part in parts))


def svg_open(width, height, *, title, desc, css_class) -> SafeString:
    """The <svg> element, named by its <title> and described by its <desc>."""
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


def nice_max(value: float) -> float:
    """A round upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value:
            return float(factor * magnitude)
    return float(10 * magnitude)  # pragma: no cover


def axis_top(numbers: list[float]) -> float:
    """The value at the top of an axis that shows `numbers` (1 when there is none)."""
    return nice_max(max(numbers)) if numbers else 1.0


def ticks(top: float, fmt: Formatter, count: int = 4) -> list[tuple[float, str]]:
    """`count` + 1 evenly spaced (value, label) marks from 0 to `top`."""
    return [
        (top * i / count, fmt.number(Decimal(str(round(top * i / count, 2)))))
        for i in range(count + 1)
    ]


# --- Lines and points ----------------------------------------------------------------------


def points_attribute(coords) -> str:
    """The `points` of a polyline: "x,y x,y …" to 0.1."""
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)


def segments(coords):
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


def polyline(coords, *, css_class: str, colour: str, width: str, dash: str = "") -> SafeString:
    """An open line through `coords`; `dash`: its stroke-dasharray ("6 4"), if dashed."""
    template = '<polyline class="{}" points="{}" fill="none" stroke="{}" stroke-width="{}"'
    args = [css_class, points_attribute(coords), colour, width]
    if dash:
        template += ' stroke-dasharray="{}"'
        args.append(dash)
    return svg_html(template + "/>", *args)


def dot(point, *, css_class: str, radius: str, colour: str, label, text) -> SafeString:
    """A point that names itself on hover: "<label> : <text>"."""
    return svg_html(
        '<circle class="{}" cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}"><title>{} : {}</title>'
        "</circle>",
        css_class,
        point[0],
        point[1],
        radius,
        colour,
        label,
        text,
    )


# --- Axes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A chart with axes: its size, and the margins around the plot."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    def fitting(self, ticks) -> "Area":
        """This area with room on the left for the longest axis label (« 5 – Transformation »
        must not lose its first letters)."""
        longest = max((len(str(text)) for _, text in ticks), default=0)
        return replace(self, left=max(self.left, 12 + round(CHAR_WIDTH * longest)))


@dataclass(frozen=True)
class Axes:
    """Where a value and a period fall: `slots` periods side by side, 0 to `top` upwards."""

    area: Area
    top: float
    slots: int

    @property
    def slot(self) -> float:
        return self.area.plot_width / max(self.slots, 1)

    def x(self, index: int) -> float:
        """The middle of the `index`th period's slot."""
        return self.area.left + self.slot * (index + 0.5)

    def y(self, number) -> float:
        area = self.area
        return area.top + area.plot_height - area.plot_height * float(number) / self.top


def frame(axes: Axes, labels, ticks) -> list[SafeString]:
    """Axes, horizontal grid lines with their labels, and the period labels."""
    area = axes.area
    parts = [
        svg_html(
            '<line class="chart-grid" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" '
            'stroke="{}"/>'
            '<text class="chart-label" x="{}" y="{:.1f}" text-anchor="end" '
            'dominant-baseline="middle" font-size="11">{}</text>',
            area.left,
            axes.y(value),
            area.width - area.right,
            axes.y(value),
            GRID_COLOUR,
            area.left - 6,
            axes.y(value),
            text,
        )
        for value, text in ticks
    ]
    parts.extend(_period_labels(axes, labels))
    bottom = area.top + area.plot_height
    parts.append(
        svg_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            area.left,
            bottom,
            area.width - area.right,
            bottom,
            AXIS_COLOUR,
        )
    )
    return parts


def _period_labels(axes: Axes, labels) -> list[SafeString]:
    """The labels under the plot; those that would overlap are thinned out (the chart's
    table names every period)."""
    widest = 8 + CHAR_WIDTH * max((len(str(label)) for label in labels), default=0)
    step = max(1, math.ceil(widest / axes.slot))
    return [
        svg_html(
            '<text class="chart-label" x="{:.1f}" y="{}" text-anchor="middle" '
            'font-size="11">{}</text>',
            axes.x(index),
            axes.area.height - axes.area.bottom + 16,
            label,
        )
        for index, label in enumerate(labels)
        if not index % step
    ]


# --- Legend --------------------------------------------------------------------------------

LEGEND_ROW = 18


def _legend_width(label) -> int:
    return 28 + 7 * len(str(label))


def _legend_positions(area: Area, entries, y):
    """(x, y) of each (colour, label, dashed?) entry, wrapped to the chart's width."""
    x = area.left
    for _, label, _ in entries:
        if x > area.left and x + _legend_width(label) > area.width - area.right:
            x, y = area.left, y + LEGEND_ROW
        yield x, y
        x += _legend_width(label)


def legend_rows(area: Area, entries) -> int:
    """How many rows the legend's entries take once wrapped to the chart's width."""
    positions = list(_legend_positions(area, entries, 0))
    return positions[-1][1] // LEGEND_ROW + 1 if positions else 0


def legend(area: Area, entries, y) -> list[SafeString]:
    """(colour, label, dashed?) swatches under the plot, wrapped to the chart's width."""
    parts = []
    for (colour, label, dashed), (x, row_y) in zip(
        entries, _legend_positions(area, entries, y), strict=True
    ):
        parts.append(_swatch(x, row_y, colour, dashed))
        parts.append(
            svg_html(
                '<text class="chart-label" x="{}" y="{}" font-size="11">{}</text>',
                x + 20,
                row_y,
                label,
            )
        )
    return parts


def _swatch(x, y, colour, dashed) -> SafeString:
    """A dashed line for a line drawn dashed, else a filled square."""
    if dashed:
        return svg_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" '
            'stroke-dasharray="5 3"/>',
            x,
            y - 4,
            x + 16,
            y - 4,
            colour,
        )
    return svg_html('<rect x="{}" y="{}" width="12" height="10" fill="{}"/>', x, y - 9, colour)


# --- The numbers as a table ----------------------------------------------------------------


def data_table(caption, headers, rows) -> SafeString:
    """A chart's numbers as a visually hidden table (not clipped: screen readers read it).

    `rows`: each row's first cell heads the row.
    """
    return format_html(
        '<div class="visually-hidden"><table><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        caption,
        format_html_join("", '<th scope="col">{}</th>', ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html('<th scope="row">{}</th>', first)
                    + format_html_join("", "<td>{}</td>", ((cell,) for cell in rest)),
                )
                for first, *rest in rows
            ),
        ),
    )
