"""« Depuis la dernière rencontre »: what changed since a day, compared with today.

Pure functions over a plan's already-fetched data (data.PlanData) and its measurement
history: new values, status changes and corrections (with who, when and why). The day starts
at midnight: whatever was recorded or corrected from that moment on is listed.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from indicators.board import history
from indicators.board.status import assess_all
from indicators.rules.periods import period_for_reading


@dataclass
class Changes:
    new_values: list = field(default_factory=list)  # (indicator, period, measurement)
    status_changes: list = field(default_factory=list)
    corrections: list = field(default_factory=list)


def default_day(data, held, today):
    """The day the page starts from: the last meeting held, else the first day of the period
    the dashboard reads (never after today)."""
    if held:
        return held[0].date
    period = period_for_reading(data.periods, data.periods_with_data(), today)
    return min(period.start_date, today) if period else today


def changes_since_date(data, records, *, since: datetime.date, today) -> Changes:
    """What the board saw just before midnight on `since` (the values then) against today."""
    moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    snapshot = history.snapshot_before(records, moment)
    with_data_then = {pk for by_period in snapshot.values() for pk in by_period}
    before_period = period_for_reading(data.periods, with_data_then, since)
    after_period = period_for_reading(data.periods, data.periods_with_data(), today)
    indicators = {indicator.pk: indicator for indicator in data.indicators}
    periods = {period.pk: period for period in data.periods}
    order = {pk: index for index, pk in enumerate(indicators)}
    new_values = sorted(
        (
            m
            for by_period in data.measurements.values()
            for m in by_period.values()
            if m.recorded_at >= moment
        ),
        key=lambda m: (order[m.indicator_id], m.period_id),
    )
    before = assess_all(data, before_period, since, snapshot) if before_period else {}
    after = assess_all(data, after_period, today) if after_period else {}
    return Changes(
        new_values=[(indicators[m.indicator_id], periods[m.period_id], m) for m in new_values],
        status_changes=(
            history.status_changes(data.indicators, before, after) if before and after else []
        ),
        corrections=history.corrections(
            records, indicators=indicators, periods=periods, since=moment
        ),
    )
