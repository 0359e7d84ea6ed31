"""The board summary's chart: one horizontal bar per orientation, stacked by status.

Drawn from the summary's plain counts (indicators.board.summary): `summary.orientations`, each
with its `orientation` and its `counts` [(status, label, count)], and `summary.statuses`
[(status, label)] in the legend's order. The statuses are the board's (its Status values, as
in the stylesheet's `.status-<value>` rules); this module only gives each its fill.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from indicators.charts import svg

# Fills dark enough to tell apart, light enough for black numbers (contrast ≥ 4.5:1).
FILLS = {
    "late": "#e35d6a",
    "watch": "#ffcd39",
    "on_track": "#6edff6",
    "reached": "#75b798",
    "missing": "#ced4da",
    "not_measured": "#c5b3e6",
    "no_target": "#ffffff",
    "qualitative": "#9ec5fe",
}
# Patterns keep late, to watch and missing apart in grey (printouts) and for colour blindness.
PATTERNS = {"late": "hatch-late", "watch": "hatch-watch", "missing": "dots"}
# Each orientation: its name on one line (LABEL high), then its bar (ROW high), then GAP.
CHART_WIDTH, LABEL, ROW, GAP = 420, 16, 20, 8
# Room for one character of a 12-pixel name.
NAME_CHAR_WIDTH = 6.3
# A count is written on its block when the block is at least this wide.
COUNT_MIN_WIDTH = 18

DEFS = mark_safe(
    "<defs>"
    '<pattern id="hatch-late" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><path d="M0 0v6" stroke="#000" stroke-width="1.6"/>'
    "</pattern>"
    '<pattern id="hatch-watch" width="8" height="8" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(-45)"><path d="M0 0v8" stroke="#000" stroke-width=".8"/>'
    "</pattern>"
    '<pattern id="dots" width="5" height="5" patternUnits="userSpaceOnUse">'
    '<circle cx="2.5" cy="2.5" r=".9" fill="#000"/></pattern>'
    "</defs>"
)


def status_chart(summary):
    """SVG of status counts per orientation, with its table (visually hidden, not clipped)."""
    rows = summary.orientations
    top = max((o.total for o in rows), default=0) or 1
    scale = (CHART_WIDTH - 4) / top
    title = gettext("Indicators by status, orientation by orientation")
    parts = [_svg_open(len(rows) * (LABEL + ROW + GAP) + GAP, title), DEFS]
    for index, row in enumerate(rows):
        parts.extend(_bar(row, GAP + index * (LABEL + ROW + GAP), scale))
    parts.append(svg.SVG_END)
    table = svg.data_table(
        title,
        [gettext("Orientation"), *(label for _, label in summary.statuses)],
        [(row.name, *(count for _, _, count in row.counts)) for row in rows],
    )
    return svg.join([*parts, table])


def _svg_open(height, title):
    """The <svg> element, named by its title (the numbers are in the table that follows)."""
    return format_html(
        '<svg class="status-chart" role="img" aria-labelledby="status-chart-title" '
        'viewBox="0 0 {} {}" width="{}" height="{}"><title id="status-chart-title">{}'
        "</title>",
        CHART_WIDTH,
        height,
        CHART_WIDTH,
        height,
        gettext("%(title)s (the numbers are in the table that follows)") % {"title": title},
    )


def fitted(name, width=CHART_WIDTH):
    """`name`, cut after its last whole word that fits `width` pixels (with « … »)."""
    room = int(width // NAME_CHAR_WIDTH)
    if len(name) <= room:
        return name
    cut = name[: room - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def _bar(row, y, scale):
    """An orientation's name (whole in its tooltip), then one block per status it has."""
    parts = [
        svg.svg_html(
            '<text class="chart-label" x="0" y="{}" font-size="12"><title>{}</title>{}</text>',
            y + LABEL - 4,
            row.name,
            fitted(row.name),
        )
    ]
    y += LABEL
    x = 0.0
    for status, _, count in row.counts:
        if not count:
            continue
        width = count * scale
        parts.extend(_block(x, y, width, status, count))
        x += width
    return parts


def _block(x, y, width, status, count):
    """A status' block: its fill, its pattern (if it has one), its count when it fits."""
    parts = [
        svg.svg_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
            'stroke="#212529" stroke-width=".5"/>',
            x,
            y,
            width,
            ROW,
            FILLS.get(status, "#fff"),
        )
    ]
    if status in PATTERNS:
        parts.append(
            svg.svg_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" opacity=".35"/>',
                x,
                y,
                width,
                ROW,
                PATTERNS[status],
            )
        )
    if width >= COUNT_MIN_WIDTH:
        parts.append(
            svg.svg_html(
                '<text x="{}" y="{}" font-size="12" font-weight="bold" '
                'text-anchor="middle" dominant-baseline="middle">{}</text>',
                x + width / 2,
                y + ROW // 2,
                count,
            )
        )
    return parts
