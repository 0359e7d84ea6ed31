"""The board report as language-neutral data, and that data in the reader's words.

`board_content` turns a viewmodels.Board and its summary.Summary into JSON-ready data: codes
(statuses, strategy states, directions), numbers as decimal strings, dates in ISO, the plan's
own words (French: the adopted document) and the staff's stories; never a translated word.
A meeting pack stores it. `for_display` words it in the active language at read time, so that
the report page, and a pack read years later in French or in English, show the same content
through the same code and the same template (report.html).

Shape (version 2):
    {"version", "plan": {id, title, start_year, end_year}, "period": {id, name} | None,
     "produced_at": ISO datetime, "meeting": {id, date: ISO, title} | None,
     "summary": {rollup, orientations: [{number, title, counts, total}], attention: [row],
                 attention_total, reached: [row], reached_total,
                 changes: [{id, wording, before_status, status, improved}], changes_total,
                 other_changes_total, other_statuses: [status],
                 compared_with: meetings.ComparedWith.as_data()},
     "orientations": [{id, number, title, rollup, results: [{id, number, statement, items,
                       rollup, served, indicators: [row]}], strategies: [strategy]}],
     "unserved": [result number]}
    row = {id, wording, status, story, kind, unit, levels: [[value, label]], cumulative,
           direction, value, target, percent, baseline, period_value,
           value_period: {id, name} | None, periods_counted: [period id]}
    strategy = {number, text, items, state, period, note}
A rollup is [[status, count]]; items are [{letter, text}].

Packs frozen before version 2 were converted by migration 0002_packs_as_data. What it could
not convert exactly stays as it was shown, in French: a row's phrases under "words", an
orientation's or result's "label", a `compared_with` "text", an unserved result's label.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from indicators.board.meetings import ComparedWith
from indicators.board.status import Assessment, Status
from indicators.board.summary import OrientationCounts, Summary
from indicators.board.viewmodels import BoardIndicator
from indicators.models import strategy_state_label
from indicators.rules.kinds import kind_of

VERSION = 2
# A row's phrases, as report.html and the summary show them.
PHRASES = ("value_phrase", "target_phrase", "progress_text", "period_value_text", "baseline_text")


# --------------------------------------------------------------------------------------
# Freezing: the board as data
# --------------------------------------------------------------------------------------


def _text(value):
    return None if value is None else str(value)


def _rollup(rollup):
    return [[str(status), count] for status, _label, count in rollup]


def _items(items):
    return [{"letter": item.letter, "text": item.text} for item in items]


def indicator_row(row, periods):
    """One indicator as data (`row`: viewmodels.BoardIndicator)."""
    assessment = row.assessment
    indicator = row.indicator
    used = assessment.period
    counted = []
    if used is not None:
        if indicator.is_cumulative:
            counted = [p.pk for p in periods if p.start_date <= used.start_date]
        else:
            counted = [used.pk]
    measured = used is not None and assessment.measurement is not None
    return {
        "id": indicator.pk,
        "wording": indicator.wording,
        "status": str(assessment.status),
        "story": row.story,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "levels": [[_text(value), label] for value, label in row.levels],
        "cumulative": indicator.is_cumulative,
        "direction": str(indicator.direction),
        "value": _text(assessment.value),
        "target": _text(assessment.target),
        "percent": _text(assessment.percent),
        "baseline": _text(indicator.baseline_value),
        "period_value": _text(assessment.measurement.value) if measured else None,
        "value_period": {"id": used.pk, "name": used.name} if measured else None,
        "periods_counted": counted,
        "unvalidated": row.is_unvalidated,
    }


def _strategy(strategy):
    latest = strategy.latest
    return {
        "number": f"{strategy.strategy.orientation.number}.{strategy.strategy.order}",
        "text": strategy.strategy.text,
        "items": _items(strategy.items),
        "state": strategy.state,
        "period": latest.period.name if latest else "",
        "note": latest.note if latest else "",
    }


def _compared_with(value):
    """The summary's `compared_with` as data (a ComparedWith, or words given by a caller)."""
    if isinstance(value, ComparedWith):
        return value.as_data()
    return {"text": str(value)} if value else None


def summary_content(summary, rows_by_id):
    return {
        "rollup": _rollup(summary.rollup),
        "orientations": [
            {
                "number": item.number,
                "title": item.title,
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
                "status": str(change.row.assessment.status),
                "improved": change.improved,
            }
            for change in summary.changes
        ],
        "changes_total": summary.changes_total,
        "other_changes_total": summary.other_changes_total,
        "other_statuses": [str(status) for status, _label in summary.other_statuses],
        "compared_with": _compared_with(summary.compared_with),
        "unvalidated_total": summary.unvalidated_total,
    }


def _result(result, rows):
    return {
        "id": result.result.pk,
        "number": result.result.number,
        "statement": result.result.statement,
        "items": _items(result.items),
        "rollup": _rollup(result.rollup),
        "served": result.served_by_active_strategy,
        "indicators": rows,
    }


def board_content(board, summary, *, produced_at, meeting=None):
    """The report's data for `board` (see the module's docstring for its shape)."""
    rows_by_id = {}
    orientations = []
    for orientation in board.orientations:
        results = []
        for result in orientation.results:
            for row in result.indicators:
                rows_by_id[row.indicator.pk] = indicator_row(row, board.periods)
            results.append(_result(result, [rows_by_id[r.indicator.pk] for r in result.indicators]))
        orientations.append(
            {
                "id": orientation.orientation.pk,
                "number": orientation.orientation.number,
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
        "unserved": [result.number for result in board.unserved],
    }


# --------------------------------------------------------------------------------------
# Reading: the data in the active language
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrozenIndicator:
    """An indicator as a row keeps it: what stories.py reads of an indicator."""

    kind: str
    unit: str
    is_cumulative: bool
    direction: str
    baseline_value: Decimal | None

    @property
    def kind_spec(self):
        return kind_of(self.kind)


@dataclass(frozen=True)
class FrozenPeriod:
    name: str


@dataclass(frozen=True)
class FrozenValue:
    """The period's own value (a cumulative indicator's, beside its running total)."""

    value: Decimal | None


@dataclass
class FrozenRow(BoardIndicator):
    """A row read back: the dashboard's own words (BoardIndicator), from frozen data."""

    frozen_story: str = ""

    @property
    def story(self):
        return self.frozen_story


def _decimal(text):
    return None if text is None else Decimal(text)


def _frozen_row(row):
    period = row["value_period"]
    assessment = Assessment(
        status=row["status"],
        value=_decimal(row["value"]),
        target=_decimal(row["target"]),
        percent=_decimal(row["percent"]),
        period=FrozenPeriod(period["name"]) if period else None,
        measurement=FrozenValue(_decimal(row["period_value"])) if period else None,
    )
    indicator = FrozenIndicator(
        kind=row["kind"],
        unit=row["unit"],
        is_cumulative=row["cumulative"],
        direction=row["direction"],
        baseline_value=_decimal(row["baseline"]),
    )
    return FrozenRow(
        indicator=indicator,
        assessment=assessment,
        points=[],
        levels=[(value, label) for value, label in row["levels"]],
        frozen_story=row["story"],
    )


def shown_row(row):
    """A row in words: what report.html, the summary and the digest show of an indicator."""
    frozen = _frozen_row(row)
    # A pack frozen as French words keeps those migration 0002 could not convert.
    words = row.get("words") or {phrase: getattr(frozen, phrase) for phrase in PHRASES}
    return {
        "id": row["id"],
        "wording": row["wording"],
        "status": row["status"],
        "status_label": frozen.assessment.label,
        "value_period": row["value_period"],
        "direction_arrow": frozen.direction_arrow,
        "direction_words": frozen.direction_words,
        "story": frozen.story,
        "story_short": frozen.story_short,
        "story_is_long": frozen.story_is_long,
        # Packs frozen before the validation step have no mark.
        "unvalidated": row.get("unvalidated", False),
        **words,
    }


def _shown_rollup(rollup):
    return [(status, Status(status).label, count) for status, count in rollup]


def _orientation_label(number, label=""):
    """« Orientation 1 »; a label migration 0002 found no number in stays as it was."""
    return label or gettext("Orientation %(number)s") % {"number": number}


def _result_label(number):
    """« Résultat 3 »; a label migration 0002 found no number in stays as it was."""
    if isinstance(number, str):
        return number
    return gettext("Result %(number)s") % {"number": number}


def _shown_summary(stored):
    """The summary in words, for _summary.html and the digest."""
    return {
        **stored,
        "rollup": _shown_rollup(stored["rollup"]),
        "orientations": [
            OrientationCounts(
                number=item["number"],
                title=item["title"],
                fixed_label=item.get("label", ""),
                counts=_shown_rollup(item["counts"]),
                total=item["total"],
            )
            for item in stored["orientations"]
        ],
        "attention": [shown_row(row) for row in stored["attention"]],
        "reached": [shown_row(row) for row in stored["reached"]],
        "changes": [
            {
                **change,
                "before_label": Status(change["before_status"]).label,
                "status_label": Status(change["status"]).label,
            }
            for change in stored["changes"]
        ],
        "other_statuses": [
            (status, Status(status).label) for status in stored.get("other_statuses", [])
        ],
        "compared_with": str(ComparedWith.from_data(stored["compared_with"])),
    }


def _summary_chart(shown):
    """The summary chart drawn from the summary in words (its counts per orientation)."""
    return Summary(
        rollup=shown["rollup"],
        orientations=shown["orientations"],
        attention=[],
        attention_total=shown["attention_total"],
        reached=[],
        reached_total=shown["reached_total"],
    ).chart


def _shown_strategy(strategy):
    return {**strategy, "state_label": strategy_state_label(strategy["state"])}


def _shown_orientation(orientation):
    label = _orientation_label(orientation["number"], orientation.get("label", ""))
    results = [
        {
            **result,
            "label": result.get("label") or _result_label(result["number"]),
            "rollup": _shown_rollup(result["rollup"]),
            "indicators": [shown_row(row) for row in result["indicators"]],
        }
        for result in orientation["results"]
    ]
    return {
        **orientation,
        "label": label,
        "rollup": _shown_rollup(orientation["rollup"]),
        "results": results,
        "strategies": [_shown_strategy(s) for s in orientation["strategies"]],
    }


def summary_for_display(board, summary):
    """Only the summary in words, and its chart (the dashboard renders its rows itself)."""
    rows = {
        row.indicator.pk: indicator_row(row, board.periods)
        for row in [*summary.attention, *summary.reached]
    }
    return {
        "summary": _shown_summary(summary_content(summary, rows)),
        "summary_chart": summary.chart,
    }


def for_display(content):
    """Stored content in the active language: words for codes, dates as dates, the chart."""
    summary = _shown_summary(content["summary"])
    meeting = content["meeting"]
    return {
        **content,
        "produced_at": parse_datetime(content["produced_at"]),
        "meeting": {**meeting, "date": parse_date(meeting["date"])} if meeting else None,
        "summary": summary,
        "summary_chart": _summary_chart(summary),
        "orientations": [_shown_orientation(o) for o in content["orientations"]],
        "unserved": [_result_label(number) for number in content["unserved"]],
    }
