"""The board's summary: what a board member must read in the first 30 seconds.

Built from an already-assembled viewmodels.Board (pure Python, no query):
- status counts per orientation, drawn as one compact server-side SVG with its table;
- « Points d'attention »: the indicators late, to watch or missing data, each with its story;
- « Faits saillants »: targets reached, and the status changes a board acts on (into or out of
  late, to watch or reached) since the last meeting (or, before any meeting pack exists, since
  the previous period); the other changes (e.g. missing data → no target) only counted.
The same Summary is shown on the dashboard and the report, and frozen into meeting packs.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from indicators.board.status import STATUS_ORDER, Status, assess_all
from indicators.charts.status_bars import status_chart

ATTENTION_STATUSES = (Status.LATE, Status.WATCH, Status.MISSING)
# A change into or out of one of these is a highlight; the others are only counted.
HIGHLIGHTED_STATUSES = frozenset({Status.LATE, Status.WATCH, Status.REACHED})
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
    number: int | None
    title: str  # the orientation's own words
    # [(status, label, count)] for every status of the plan's roll-up, zeros included.
    counts: list
    total: int
    fixed_label: str = ""  # an old pack's label that migration 0002 found no number in

    @property
    def label(self):
        """« Orientation 1 », in the reader's language."""
        return self.fixed_label or gettext("Orientation %(number)s") % {"number": self.number}

    @property
    def name(self):
        """« Orientation 1 – Outiller les entreprises… »: what the chart writes beside a bar."""
        return f"{self.label} – {self.title}" if self.title else self.label


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
    # The other status changes: how many, and [(status, label)] of the statuses they involve.
    other_changes_total: int = 0
    other_statuses: list = field(default_factory=list)
    # "since the meeting of 15 March 2025", "since period 2021-2022", or "".
    compared_with: str = ""
    # Indicators whose value shown is not validated yet (the plan's validation step).
    unvalidated_total: int = 0

    @property
    def statuses(self):
        """The statuses present in the plan, laggards first (the chart's legend)."""
        return [(status, label) for status, label, _ in self.rollup]

    @property
    def chart(self):
        return status_chart(self)


def _rows(board):
    return [row for o in board.orientations for r in o.results for row in r.indicators]


def _orientation_counts(board):
    present = [status for status, _, _ in board.rollup]
    counts = []
    for orientation in board.orientations:
        by_status = {status: count for status, _, count in orientation.rollup}
        counts.append(
            OrientationCounts(
                number=orientation.orientation.number,
                title=orientation.orientation.title,
                counts=[(s, s.label, by_status.get(s, 0)) for s in present],
                total=sum(by_status.values()),
            )
        )
    return counts


def _changes(rows, before):
    """([Change] a board acts on, [Change] of the other status changes)."""
    highlighted, others = [], []
    for row in rows:
        seen = (before or {}).get(row.indicator.pk)
        if seen is None or seen[0] == row.assessment.status:
            continue
        change = Change(row=row, before_status=seen[0], before_label=seen[1])
        if {seen[0], row.assessment.status} & HIGHLIGHTED_STATUSES:
            highlighted.append(change)
        else:
            others.append(change)
    return highlighted, others


def _statuses_of(changes):
    """[(status, label)] of the statuses `changes` go from or to, in roll-up order."""
    involved = {change.before_status for change in changes}
    involved |= {change.row.assessment.status for change in changes}
    return [(status, status.label) for status in STATUS_ORDER if status in involved]


def build_summary(board, *, before=None, compared_with=""):
    """The summary of `board`; `before`: {indicator pk: (status, label)} the board saw last."""
    rows = _rows(board)
    order = {status: index for index, status in enumerate(ATTENTION_STATUSES)}
    attention = sorted(
        (row for row in rows if row.assessment.status in order),
        key=lambda row: order[row.assessment.status],
    )
    reached = [row for row in rows if row.assessment.status == Status.REACHED]
    changes, others = _changes(rows, before)
    return Summary(
        rollup=board.rollup,
        orientations=_orientation_counts(board),
        attention=attention[:SHOWN_ATTENTION],
        attention_total=len(attention),
        reached=reached[:SHOWN_HIGHLIGHTS],
        reached_total=len(reached),
        changes=changes[:SHOWN_HIGHLIGHTS],
        changes_total=len(changes),
        other_changes_total=len(others),
        other_statuses=_statuses_of(others),
        compared_with=compared_with,
        unvalidated_total=sum(row.is_unvalidated for row in rows),
    )


def statuses_of_period(data, period, today):
    """{indicator pk: (status, label)} of the plan for `period` (the previous period's view)."""
    return {
        pk: (assessment.status, str(assessment.label))
        for pk, assessment in assess_all(data, period, today).items()
    }
