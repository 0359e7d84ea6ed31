"""« Depuis la dernière rencontre »: what changed between two periods, or since a date.

Pure functions over a plan's already-fetched data (data.PlanData) and its measurement
history: new values, status changes and corrections (with who, when and why).
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from indicators.board import history
from indicators.board.status import assess_all
from indicators.models import ReportingPeriod
from indicators.rules.periods import period_for_reading


@dataclass
class Changes:
    before_period: ReportingPeriod | None
    after_period: ReportingPeriod | None
    new_values: list = field(default_factory=list)  # (indicator, period, measurement)
    status_changes: list = field(default_factory=list)
    corrections: list = field(default_factory=list)


def _changes(data, records, *, before_period, after_period, before, after, new_values, **which):
    """The Changes, with the corrections `which` selects (since=moment or period_pks=…)."""
    indicators = {indicator.pk: indicator for indicator in data.indicators}
    periods = {period.pk: period for period in data.periods}
    order = {pk: index for index, pk in enumerate(indicators)}
    new_values.sort(key=lambda m: (order[m.indicator_id], m.period_id))
    return Changes(
        before_period=before_period,
        after_period=after_period,
        new_values=[(indicators[m.indicator_id], periods[m.period_id], m) for m in new_values],
        status_changes=(
            history.status_changes(data.indicators, before, after) if before and after else []
        ),
        corrections=history.corrections(records, indicators=indicators, periods=periods, **which),
    )


def changes_between_periods(data, records, *, before_period, after_period, today) -> Changes:
    """Statuses of `before_period` against `after_period`, its new values, and corrections
    to the values of every period up to `after_period`."""
    new_values = [
        by_period[after_period.pk]
        for by_period in data.measurements.values()
        if after_period and after_period.pk in by_period
    ]
    return _changes(
        data,
        records,
        before_period=before_period,
        after_period=after_period,
        before=assess_all(data, before_period, today) if before_period else {},
        after=assess_all(data, after_period, today) if after_period else {},
        new_values=new_values,
        period_pks={
            p.pk for p in data.periods if after_period and p.start_date <= after_period.start_date
        },
    )


def changes_since_date(data, records, *, since: datetime.date, today) -> Changes:
    """What the board saw at midnight on `since` (the values then) against today."""
    moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    snapshot = history.snapshot_as_of(records, moment)
    with_data_then = {pk for by_period in snapshot.values() for pk in by_period}
    before_period = period_for_reading(data.periods, with_data_then, since)
    after_period = period_for_reading(data.periods, data.periods_with_data(), today)
    new_values = [
        m
        for by_period in data.measurements.values()
        for m in by_period.values()
        if m.recorded_at >= moment
    ]
    return _changes(
        data,
        records,
        before_period=before_period,
        after_period=after_period,
        before=(assess_all(data, before_period, since, snapshot) if before_period else {}),
        after=assess_all(data, after_period, today) if after_period else {},
        new_values=new_values,
        since=moment,
    )
