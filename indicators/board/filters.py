"""The dashboard's status filter: `?statut=late,watch` shows only those indicators.

A query string, so that a filtered view can be bookmarked and shared. Unknown words are
ignored; an empty filter shows everything.
"""

from dataclasses import replace

from indicators.board.status import STATUS_ORDER, Status

PARAM = "statut"
# The filter most asked for: what needs the board's attention.
ATTENTION = (Status.LATE, Status.WATCH)


def parse(query):
    """The statuses asked for in `query` (a QueryDict), in roll-up order."""
    words = {word.strip() for value in query.getlist(PARAM) for word in value.split(",")}
    return [status for status in STATUS_ORDER if status.value in words]


def as_query(statuses):
    return ",".join(status.value for status in statuses)


def filter_orientations(board, statuses):
    """Board orientations keeping only indicators in `statuses` (and their results).

    Roll-ups keep counting every indicator, so that the counts never change with the filter.
    """
    if not statuses:
        return board.orientations
    wanted = set(statuses)
    shown = []
    for orientation in board.orientations:
        results = []
        for result in orientation.results:
            rows = [row for row in result.indicators if row.assessment.status in wanted]
            if rows:
                results.append(replace(result, indicators=rows))
        if results:
            shown.append(replace(orientation, results=results))
    return shown


def count(orientations):
    return sum(len(r.indicators) for o in orientations for r in o.results)
