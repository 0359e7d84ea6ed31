"""The board's summary: what a board member must read in the first 30 seconds.

Built from an already-assembled viewmodels.Board (pure Python, no query):
- status counts per orientation, drawn as one compact server-side SVG with its table;
- « Points d'attention »: the indicators late, to watch or missing data, each with its story;
- « Faits saillants »: targets reached, and statuses that changed since the last meeting (or,
  before any meeting pack exists, since the previous period).
The same Summary is shown on the dashboard and the report, and frozen into meeting packs.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from indicators.board.status import Status, assess_all

ATTENTION_STATUSES = (Status.LATE, Status.WATCH, Status.MISSING)
# Statuses from worst to best, to tell an improvement from a decline.
RANK = {
    Status.LATE: 0,
    Status.MISSING: 0,
    Status.WATCH: 1,
    Status.ON_TRACK: 2,
    Status.REACHED: 3,
}
# How many items each list shows, so that the summary fits the first screen (1366 × 768); the
# status filter keeps the rest one click away.
SHOWN_ATTENTION = 6
SHOWN_HIGHLIGHTS = 4


@dataclass
class OrientationCounts:
    orientation: object
    # [(status, label, count)] for every status of the plan's roll-up, zeros included.
    counts: list
    total: int


@dataclass
class Change:
    """An indicator whose status differs from the one the board saw last time."""

    row: object
    before_status: str
    before_label: str

    @property
    def improved(self):
        before = RANK.get(self.before_status)
        after = RANK.get(self.row.assessment.status)
        return before is not None and after is not None and after > before


@dataclass
class Summary:
    rollup: list
    orientations: list
    attention: list
    attention_total: int
    reached: list
    reached_total: int
    changes: list = field(default_factory=list)
    changes_total: int = 0
    # "since the meeting of 15 March 2025", "since period 2021-2022", or "".
    compared_with: str = ""

    @property
    def statuses(self):
        """The statuses present in the plan, laggards first (the chart's legend)."""
        return [(status, label) for status, label, _ in self.rollup]

    @property
    def chart(self):
        return status_chart(self)


def _rows(board):
    return [row for o in board.orientations for r in o.results for row in r.indicators]


def build_summary(board, *, before=None, compared_with=""):
    """The summary of `board`; `before`: {indicator pk: (status, label)} the board saw last."""
    present = [status for status, _, _ in board.rollup]
    orientations = []
    for orientation in board.orientations:
        counts = {status: count for status, _, count in orientation.rollup}
        orientations.append(
            OrientationCounts(
                orientation=orientation.orientation,
                counts=[(s, s.label, counts.get(s, 0)) for s in present],
                total=sum(counts.values()),
            )
        )
    rows = _rows(board)
    order = {status: index for index, status in enumerate(ATTENTION_STATUSES)}
    attention = sorted(
        (row for row in rows if row.assessment.status in order),
        key=lambda row: order[row.assessment.status],
    )
    reached = [row for row in rows if row.assessment.status == Status.REACHED]
    changes = []
    for row in rows:
        seen = (before or {}).get(row.indicator.pk)
        if seen is not None and seen[0] != row.assessment.status:
            changes.append(Change(row=row, before_status=seen[0], before_label=seen[1]))
    return Summary(
        rollup=board.rollup,
        orientations=orientations,
        attention=attention[:SHOWN_ATTENTION],
        attention_total=len(attention),
        reached=reached[:SHOWN_HIGHLIGHTS],
        reached_total=len(reached),
        changes=changes[:SHOWN_HIGHLIGHTS],
        changes_total=len(changes),
        compared_with=compared_with,
    )


def statuses_of_period(data, period, today):
    """{indicator pk: (status, label)} of the plan for `period` (the previous period's view)."""
    return {
        pk: (assessment.status, str(assessment.label))
        for pk, assessment in assess_all(data, period, today).items()
    }


# --------------------------------------------------------------------------------------
# The chart: one horizontal bar per orientation, stacked by status
# --------------------------------------------------------------------------------------

# Fills dark enough to tell apart, light enough for black numbers (contrast ≥ 4.5:1).
FILLS = {
    Status.LATE: "#e35d6a",
    Status.WATCH: "#ffcd39",
    Status.ON_TRACK: "#6edff6",
    Status.REACHED: "#75b798",
    Status.MISSING: "#ced4da",
    Status.NOT_MEASURED: "#c5b3e6",
    Status.NO_TARGET: "#ffffff",
    Status.QUALITATIVE: "#9ec5fe",
}
# Patterns keep late, to watch and missing apart in grey (printouts) and for colour blindness.
PATTERNS = {Status.LATE: "hatch-late", Status.WATCH: "hatch-watch", Status.MISSING: "dots"}
CHART_WIDTH, LABEL_WIDTH, ROW, GAP = 420, 104, 22, 6


def _defs():
    return mark_safe(
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
    height = len(rows) * (ROW + GAP) + GAP
    title = gettext("Indicators by status, orientation by orientation")
    parts = [
        format_html(
            '<svg class="status-chart" role="img" aria-labelledby="status-chart-title" '
            'viewBox="0 0 {} {}" width="{}" height="{}"><title id="status-chart-title">{}'
            "</title>",
            CHART_WIDTH,
            height,
            CHART_WIDTH,
            height,
            gettext("%(title)s (the numbers are in the table that follows)") % {"title": title},
        ),
        _defs(),
    ]
    scale = (CHART_WIDTH - LABEL_WIDTH - 4) / top
    for index, row in enumerate(rows):
        y = GAP + index * (ROW + GAP)
        parts.append(
            format_html(
                '<text class="chart-label" x="0" y="{}" font-size="13" '
                'dominant-baseline="middle">{}</text>',
                y + ROW // 2,
                row.orientation,
            )
        )
        x = float(LABEL_WIDTH)
        for status, _, count in row.counts:
            if not count:
                continue
            width = count * scale
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
                    'stroke="#212529" stroke-width=".5"/>',
                    f"{x:.1f}",
                    y,
                    f"{width:.1f}",
                    ROW,
                    FILLS.get(status, "#fff"),
                )
            )
            if status in PATTERNS:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" '
                        'opacity=".35"/>',
                        f"{x:.1f}",
                        y,
                        f"{width:.1f}",
                        ROW,
                        PATTERNS[status],
                    )
                )
            if width >= 18:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="12" font-weight="bold" '
                        'text-anchor="middle" dominant-baseline="middle">{}</text>',
                        f"{x + width / 2:.1f}",
                        y + ROW // 2,
                        count,
                    )
                )
            x += width
    parts.append(mark_safe("</svg>"))
    statuses = summary.statuses
    table = format_html(
        '<div class="visually-hidden"><table><caption>{}</caption><thead><tr>'
        '<th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
        title,
        gettext("Orientation"),
        format_html_join("", '<th scope="col">{}</th>', ((label,) for _, label in statuses)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            (
                (
                    format_html('<th scope="row">{}</th>', row.orientation)
                    + format_html_join("", "<td>{}</td>", ((c,) for _, _, c in row.counts)),
                )
                for row in rows
            ),
        ),
    )
    return mark_safe("".join(str(part) for part in parts) + str(table))
