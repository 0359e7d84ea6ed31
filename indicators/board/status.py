"""The dashboard's status rule: where an indicator stands against its target (pure, no query).

Rule (DOMAIN.md): compare the latest measured value with the target of the same period, in
the indicator's direction, from the baseline (0 when none):
progress = (value − baseline) / (target − baseline), or its mirror when lower is better;
the plan's thresholds turn that share of the way into a status. What each kind of indicator
contributes (compared with a target? values add up?) is asked of its kind (rules/kinds.py).
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import pgettext_lazy

from indicators.models import Direction, MeasurementStatus
from indicators.rules.kinds import kind_of

HUNDRED = Decimal(100)


class Status(TextChoices):
    """An indicator's status on the dashboard; the word is always shown, never colour alone."""

    REACHED = "reached", pgettext_lazy("indicator status", "reached")
    ON_TRACK = "on_track", pgettext_lazy("indicator status", "on track")
    WATCH = "watch", pgettext_lazy("indicator status", "to watch")
    LATE = "late", pgettext_lazy("indicator status", "late")
    NO_TARGET = "no_target", pgettext_lazy("indicator status", "no target")
    MISSING = "missing", pgettext_lazy("indicator status", "missing data")
    NOT_MEASURED = "not_measured", pgettext_lazy("indicator status", "not measured")
    QUALITATIVE = "qualitative", pgettext_lazy("indicator status", "qualitative")


# The order in which roll-ups list the statuses: the laggards first.
STATUS_ORDER = [
    Status.LATE,
    Status.WATCH,
    Status.ON_TRACK,
    Status.REACHED,
    Status.MISSING,
    Status.NOT_MEASURED,
    Status.NO_TARGET,
    Status.QUALITATIVE,
]


@dataclass(frozen=True)
class Thresholds:
    """Percentages of the way from baseline to target (the plan's editable thresholds)."""

    on_track: Decimal = Decimal(95)
    watch: Decimal = Decimal(85)

    @classmethod
    def of_plan(cls, plan):
        return cls(on_track=Decimal(plan.on_track_threshold), watch=Decimal(plan.watch_threshold))


@dataclass
class Assessment:
    """What the dashboard says about one indicator for one period."""

    status: str
    value: Decimal | None = None
    target: Decimal | None = None
    percent: Decimal | None = None
    # The period the value comes from (an earlier one while the chosen period is still open).
    period: object = None
    measurement: object = None

    @property
    def label(self):
        return Status(self.status).label

    @property
    def bar_width(self):
        """Width of the progress bar, 0 to 100, rounded to a multiple of 5 (CSS classes)."""
        if self.percent is None:
            return 0
        clamped = max(Decimal(0), min(HUNDRED, self.percent))
        return int(clamped / 5) * 5


def progress_percent(*, value, target, baseline=None, direction=Direction.INCREASE):
    """Share of the way from baseline to target, in percent (Decimal), in the given direction.

    When the target does not lie beyond the baseline in the indicator's direction (or when a
    "lower is better" indicator has no baseline), the way cannot be measured: the target is
    then met (100 %) or the value is compared with the target as a plain ratio.
    """
    value = Decimal(value)
    target = Decimal(target)
    decrease = direction == Direction.DECREASE
    if baseline is None and decrease:
        span = None
    else:
        baseline = Decimal(baseline or 0)
        span = baseline - target if decrease else target - baseline
    if span is not None and span > 0:
        gained = baseline - value if decrease else value - baseline
        return gained / span * HUNDRED
    met = value <= target if decrease else value >= target
    if met:
        return HUNDRED
    if decrease:
        return target / value * HUNDRED
    return value / target * HUNDRED if target > 0 else Decimal(0)


def status_for_percent(percent, thresholds):
    if percent >= HUNDRED:
        return Status.REACHED
    if percent >= thresholds.on_track:
        return Status.ON_TRACK
    if percent >= thresholds.watch:
        return Status.WATCH
    return Status.LATE


def cumulative_value(measurements, period, periods):
    """Sum of the values recorded up to `period` (cumulative indicators add up over periods)."""
    total = None
    for each in periods:
        measurement = measurements.get(each.pk)
        if measurement is not None and measurement.value is not None:
            total = (total or Decimal(0)) + measurement.value
        if each.pk == period.pk:
            break
    return total


def _measurement_to_assess(period, periods, measurements, today):
    """(the period the value comes from, its measurement), or None when there is none: the
    chosen period's own, or while it is still open the latest recorded before it."""
    measurement = measurements.get(period.pk)
    if measurement is not None:
        return period, measurement
    if period.end_date < today:
        return None
    earlier = [p for p in periods if p.start_date < period.start_date and p.pk in measurements]
    if not earlier:
        return None
    return earlier[-1], measurements[earlier[-1].pk]


def assess(*, indicator, period, periods, measurements, targets, thresholds, today):
    """The status of `indicator` for `period`.

    `periods`: the plan's periods in order; `measurements` and `targets`: dicts of this
    indicator's Measurement (or historical record) and Target values keyed by period pk.
    What it reads decides what data.load_board_values reads (the period's value, the latest
    before it while it is open, every earlier one when the indicator adds up, their
    targets): change both together (tests/board/test_data.py compares their statuses).
    """
    found = _measurement_to_assess(period, periods, measurements, today)
    if found is None:
        return Assessment(Status.MISSING, period=period, target=targets.get(period.pk))
    used_period, measurement = found
    target = targets.get(used_period.pk)
    assessment = Assessment(
        Status.MISSING, period=used_period, measurement=measurement, target=target
    )
    if measurement.status == MeasurementStatus.NOT_MEASURED:
        assessment.status = Status.NOT_MEASURED
        return assessment
    kind = kind_of(indicator)
    if not kind.is_assessed:
        # A narrative: no value to compare with a target.
        if measurement.narrative.strip():
            assessment.status = Status.QUALITATIVE
        return assessment
    value = measurement.value
    if value is not None and kind.adds_up(indicator):
        value = cumulative_value(measurements, used_period, periods)
    if value is None:
        return assessment
    assessment.value = value
    if target is None:
        assessment.status = Status.NO_TARGET
        return assessment
    assessment.percent = progress_percent(
        value=value,
        target=target,
        baseline=indicator.baseline_value,
        direction=indicator.direction,
    )
    assessment.status = status_for_percent(assessment.percent, thresholds)
    return assessment


def assess_all(data, period, today, measurements=None):
    """{indicator pk: Assessment} for every indicator of the plan (`data`: a data.PlanData),
    for `period`; `measurements` replaces the plan's current values (e.g. as they were)."""
    thresholds = Thresholds.of_plan(data.plan)
    measurements = data.measurements if measurements is None else measurements
    return {
        indicator.pk: assess(
            indicator=indicator,
            period=period,
            periods=data.periods,
            measurements=measurements.get(indicator.pk, {}),
            targets=data.targets.get(indicator.pk, {}),
            thresholds=thresholds,
            today=today,
        )
        for indicator in data.indicators
    }


def rollup(statuses):
    """[(status, label, count)] for the statuses present, laggards first: counts, no average."""
    counts = Counter(statuses)
    return [(status, status.label, counts[status]) for status in STATUS_ORDER if counts[status]]
