"""The board report as plain data: what the report page shows, and what a meeting pack freezes.

`board_content` turns a viewmodels.Board and its summary.Summary into JSON-ready dicts and lists
(texts already formatted, statuses already worded). The report page renders this data, and a
meeting pack stores it and renders it with the same template, so a pack shows exactly what
the report showed when the meeting was presented, whatever happens to the values later.

Shape (version 1):
    {"version", "plan": {id, title, start_year, end_year}, "period": {id, name} | None,
     "produced_at": ISO datetime, "meeting": {id, date, title} | None,
     "summary": {rollup, orientations: [{label, counts, total}], attention: [row],
                 attention_total, reached: [row], reached_total,
                 changes: [{id, wording, before_status, before_label, status, status_label,
                            improved}], changes_total, compared_with,
                 other_changes_total, other_statuses: [[status, label]]},
     "orientations": [{id, label, title, rollup, results: [{id, label, statement, rollup,
                       served, indicators: [row]}], strategies: [strategy]}],
     "unserved": [result label]}
    row = {id, wording, status, status_label, value_phrase, target_phrase, progress_text,
           period_value_text, value_period, direction_arrow, direction_words, baseline_text,
           story, story_short, story_is_long, value, target, periods_counted}
    strategy = {number, text, state, state_label, period, note}
A rollup is [[status, label, count]].
"""

from django.utils.dateparse import parse_date, parse_datetime

from indicators.board.summary import OrientationCounts, Summary

VERSION = 1


def _text(value):
    return None if value is None else str(value)


def _rollup(rollup):
    return [[str(status), str(label), count] for status, label, count in rollup]


def indicator_row(row, periods):
    """One indicator as the report shows it (`row`: viewmodels.BoardIndicator)."""
    assessment = row.assessment
    used = assessment.period
    counted = []
    if used is not None:
        if row.indicator.is_cumulative:
            counted = [p.pk for p in periods if p.start_date <= used.start_date]
        else:
            counted = [used.pk]
    return {
        "id": row.indicator.pk,
        "wording": row.indicator.wording,
        "status": str(assessment.status),
        "status_label": str(assessment.label),
        "value_phrase": row.value_phrase,
        "target_phrase": row.target_phrase,
        "progress_text": row.progress_text,
        "period_value_text": row.period_value_text,
        "value_period": (
            {"id": used.pk, "name": used.name}
            if used is not None and assessment.measurement is not None
            else None
        ),
        "direction_arrow": row.direction_arrow,
        "direction_words": str(row.direction_words),
        "baseline_text": row.baseline_text,
        "story": row.story,
        "story_short": row.story_short,
        "story_is_long": row.story_is_long,
        "value": _text(assessment.value),
        "target": _text(assessment.target),
        "periods_counted": counted,
    }


def _strategy(strategy):
    latest = strategy.latest
    return {
        "number": f"{strategy.strategy.orientation.number}.{strategy.strategy.order}",
        "text": strategy.strategy.text,
        "state": strategy.state,
        "state_label": str(strategy.state_label),
        "period": latest.period.name if latest else "",
        "note": latest.note if latest else "",
    }


def summary_content(summary, rows_by_id):
    return {
        "rollup": _rollup(summary.rollup),
        "orientations": [
            {
                "label": item.label,
                "counts": _rollup(item.counts),
                "total": item.total,
            }
            for item in summary.orientations
        ],
        "attention": [rows_by_id[row.indicator.pk] for row in summary.attention],
        "attention_total": summary.attention_total,
        "reached": [rows_by_id[row.indicator.pk] for row in summary.reached],
        "reached_total": summary.reached_total,
        "changes": [
            {
                "id": change.row.indicator.pk,
                "wording": change.row.indicator.wording,
                "before_status": str(change.before_status),
                "before_label": str(change.before_label),
                "status": str(change.row.assessment.status),
                "status_label": str(change.row.assessment.label),
                "improved": change.improved,
            }
            for change in summary.changes
        ],
        "changes_total": summary.changes_total,
        "other_changes_total": summary.other_changes_total,
        "other_statuses": [[str(status), str(label)] for status, label in summary.other_statuses],
        "compared_with": str(summary.compared_with),
    }


def board_content(board, summary, *, produced_at, meeting=None):
    """The report's data for `board` (see the module's docstring for its shape)."""
    rows_by_id = {}
    orientations = []
    for orientation in board.orientations:
        results = []
        for result in orientation.results:
            rows = []
            for row in result.indicators:
                rows_by_id[row.indicator.pk] = indicator_row(row, board.periods)
                rows.append(rows_by_id[row.indicator.pk])
            results.append(
                {
                    "id": result.result.pk,
                    "label": str(result.result),
                    "statement": result.result.statement,
                    "rollup": _rollup(result.rollup),
                    "served": result.served_by_active_strategy,
                    "indicators": rows,
                }
            )
        orientations.append(
            {
                "id": orientation.orientation.pk,
                "label": str(orientation.orientation),
                "title": orientation.orientation.title,
                "rollup": _rollup(orientation.rollup),
                "results": results,
                "strategies": [_strategy(s) for s in orientation.strategies],
            }
        )
    plan = board.plan
    return {
        "version": VERSION,
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
        },
        "period": {"id": board.period.pk, "name": board.period.name} if board.period else None,
        "produced_at": produced_at.isoformat(),
        "meeting": (
            {"id": meeting.pk, "date": meeting.date.isoformat(), "title": meeting.title}
            if meeting is not None
            else None
        ),
        "summary": summary_content(summary, rows_by_id),
        "orientations": orientations,
        "unserved": [str(result) for result in board.unserved],
    }


def summary_for_display(board, summary):
    """Only the summary's data and chart (the dashboard renders its rows from the board)."""
    rows = {
        row.indicator.pk: indicator_row(row, board.periods)
        for row in [*summary.attention, *summary.reached]
    }
    return {"summary": summary_content(summary, rows), "summary_chart": summary.chart}


def for_display(content):
    """A copy of stored content with its dates as date objects, and its chart's summary."""
    shown = dict(content)
    shown["produced_at"] = parse_datetime(content["produced_at"])
    if content.get("meeting"):
        shown["meeting"] = {**content["meeting"], "date": parse_date(content["meeting"]["date"])}
    stored = content["summary"]
    titles = {item["label"]: item["title"] for item in content["orientations"]}
    shown["summary_chart"] = Summary(
        rollup=[tuple(item) for item in stored["rollup"]],
        orientations=[
            OrientationCounts(
                label=item["label"],
                title=titles.get(item["label"], ""),
                counts=[tuple(count) for count in item["counts"]],
                total=item["total"],
            )
            for item in stored["orientations"]
        ],
        attention=[],
        attention_total=stored["attention_total"],
        reached=[],
        reached_total=stored["reached_total"],
    ).chart
    return shown
