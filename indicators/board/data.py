"""The board pages' reads of a plan, each in a fixed number of queries whatever its size.

`load_plan_data` fetches a whole plan (structure, periods, targets, measurements, breakdowns,
strategy states) into a PlanData, and `load_measurement_history` its values' history (for
corrections and « depuis la dernière rencontre »). The board's pages read less:
`load_plan_outline` (all but the values), then `load_board_values` (every value of the
indicators drawn in full, and for the others only the rows their status needs, see
status.py's `assess`). Everything the board shows is then computed
from these in pure Python (status.py, viewmodels.py, history.py), so that the pages' query
counts never grow with the plan. Meetings and their packs are read in meetings.py.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from indicators.models import (
    Category,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    Target,
)
from indicators.recording.continuity import earlier_points
from plan.models import Orientation, Result, ResultItem, Strategy, StrategyItem


@dataclass
class PlanData:
    plan: object
    orientations: list
    periods: list
    results_by_orientation: dict = field(default_factory=dict)
    items_by_result: dict = field(default_factory=dict)
    indicators_by_result: dict = field(default_factory=dict)
    levels_by_indicator: dict = field(default_factory=dict)
    categories_by_dimension: dict = field(default_factory=dict)
    # {indicator pk: {period pk: value}}
    targets: dict = field(default_factory=dict)
    # {indicator pk: {period pk: MeasuredValue}}
    measurements: dict = field(default_factory=dict)
    # {measurement pk: [MeasurementBreakdown]}
    breakdowns: dict = field(default_factory=dict)
    strategies_by_orientation: dict = field(default_factory=dict)
    results_by_strategy: dict = field(default_factory=dict)
    strategy_items: dict = field(default_factory=dict)
    # {strategy pk: {period pk: StrategyProgress}}
    strategy_progress: dict = field(default_factory=dict)
    # {indicator pk: [(« 2018-2023 · 2019-2020 », value)]}: carried-over indicators' past.
    earlier: dict = field(default_factory=dict)
    # The pks of the indicators whose values of every period were read (ALL: each of them);
    # the others' `measurements` and `targets` hold only what their status needs.
    complete: object = None

    @property
    def results(self):
        return [r for o in self.orientations for r in self.results_by_orientation.get(o.pk, [])]

    @property
    def indicators(self):
        return [i for r in self.results for i in self.indicators_by_result.get(r.pk, [])]

    @property
    def strategies(self):
        return [s for o in self.orientations for s in self.strategies_by_orientation.get(o.pk, [])]

    def periods_with_data(self):
        """The pks of the periods with a recorded value (read with the periods)."""
        return {period.pk for period in self.periods if period.has_data}

    def is_complete(self, indicator_pk):
        """Whether every value of the indicator was read (its series can be drawn)."""
        return self.complete is ALL or indicator_pk in (self.complete or ())


class MeasuredValue(NamedTuple):
    """A recorded value as the board reads it: the row's fields as a named tuple, not a model
    instance nor a frozen dataclass, whose __init__ cost as much as the query itself at
    16 000 values. The model's rule answers `is_not_measured`."""

    pk: int
    indicator_id: int
    period_id: int
    status: str
    value: Decimal | None
    narrative: str
    explanation: str
    validation_state: str
    # Read by « depuis la dernière rencontre » only (with_record_dates): converting 32 000
    # datetimes was a third of a large dashboard's cold time on SQLite.
    recorded_at: object = None
    updated_at: object = None

    FIELDS = (
        "pk",
        "indicator_id",
        "period_id",
        "status",
        "value",
        "narrative",
        "explanation",
        "validation_state",
    )
    DATED_FIELDS = (*FIELDS, "recorded_at", "updated_at")
    is_not_measured = Measurement.is_not_measured
    is_unvalidated = Measurement.is_unvalidated


class Level(NamedTuple):
    """A level of an indicator's scale as the board reads it (a plan has hundreds: model
    instances cost a tenth of a large dashboard's reads)."""

    indicator_id: int
    value: int
    label: str


# `complete=ALL`: every indicator's values are read.
ALL = "all"


def load_plan_data(plan, *, with_breakdowns=False, with_record_dates=False):
    """Everything the board pages show about `plan`, in 13 queries (14 with the breakdowns),
    plus those of the earlier plans' values when an indicator shows them
    (recording.continuity.earlier_points). The values' `recorded_at` and `updated_at` are
    read only `with_record_dates`."""
    data = load_plan_outline(plan)
    _load_values(data, with_record_dates=with_record_dates)
    data.complete = ALL
    if with_breakdowns:
        _load_breakdowns(data)
    return data


def load_plan_outline(plan):
    """`plan` without its values (11 queries, plus the earlier plans' values): its structure,
    periods (each knowing whether it `has_data`), scales and strategies."""
    measured = Measurement.objects.of_plan(plan).filter(period_id=OuterRef("pk"))
    data = PlanData(
        plan=plan,
        orientations=list(Orientation.objects.filter(plan=plan).order_by("number")),
        periods=list(
            ReportingPeriod.objects.filter(plan=plan)
            .annotate(has_data=Exists(measured))
            .order_by("start_date")
        ),
    )
    _load_structure(data)
    data.earlier = earlier_points(data.indicators)
    _load_scales(data)
    _load_strategies(data)
    return data


def load_board_values(data, period, *, today, complete=ALL, breakdowns=()):
    """Read into `data` (a load_plan_outline) the values the board shows for `period`, in 2
    queries, plus 1 when `period` or the one before is still open on `today` and an
    indicator has no value for the one before, and 1 for the `breakdowns` (ALL or some
    indicators' pks).

    `complete`: ALL or the pks of the indicators whose every value is read (their series are
    drawn). Of the others only what status.py's `assess` needs for `period` and for the
    period before: their values of these two periods (of every period up to `period` for a
    cumulative indicator), while one of them is open the latest value before, and the
    targets of the periods of these values and of the two periods. At 800 indicators × 20
    periods that is about 1 600 values and targets instead of 32 000."""
    data.complete = complete
    if complete is ALL or period is None:
        _load_values(data, complete=None if complete is ALL else complete)
    else:
        _load_needed_values(data, period, complete, today)
    if breakdowns:
        _load_breakdowns(data, complete=None if breakdowns is ALL else breakdowns)


# Plan-wide reads sort on their own columns, never on the models' default ordering (which
# joins up to the plan's title).


def _load_structure(data):
    """Results, their items and indicators, each linked to its already-fetched parent."""
    plan = data.plan
    orientation_by_pk = {o.pk: o for o in data.orientations}
    for result in Result.objects.filter(orientation__plan=plan).order_by("number"):
        result.orientation = orientation_by_pk[result.orientation_id]
        data.results_by_orientation.setdefault(result.orientation_id, []).append(result)
    for item in ResultItem.objects.filter(result__orientation__plan=plan).order_by("letter"):
        data.items_by_result.setdefault(item.result_id, []).append(item)
    # No dimension joined: the board reads its categories by `dimension_id` (_load_scales).
    indicators = Indicator.objects.of_plan(plan).order_by("order")
    result_by_pk = {r.pk: r for r in data.results}
    for indicator in indicators:
        indicator.result = result_by_pk[indicator.result_id]
        data.indicators_by_result.setdefault(indicator.result_id, []).append(indicator)


def _load_scales(data):
    """The levels of the plan's scales and the categories of its dimensions."""
    plan = data.plan
    levels = ScaleLevel.objects.filter(indicator__result__orientation__plan=plan)
    for row in levels.order_by("indicator_id", "value").values_list(*Level._fields):
        level = Level(*row)
        data.levels_by_indicator.setdefault(level.indicator_id, []).append(level)
    categories = Category.objects.filter(
        dimension__indicators__result__orientation__plan=plan
    ).distinct()
    for category in categories.order_by("dimension_id", "order", "name"):
        data.categories_by_dimension.setdefault(category.dimension_id, []).append(category)


def _load_values(data, *, with_record_dates=False, complete=None):
    """Targets and measurements, by indicator and period (of the `complete` indicators only,
    when given)."""
    plan = data.plan
    targets = Target.objects.filter(indicator__result__orientation__plan=plan)
    measurements = Measurement.objects.of_plan(plan)
    if complete is not None:
        targets = targets.filter(indicator_id__in=complete)
        measurements = measurements.filter(indicator_id__in=complete)
    _add_targets(data, targets)
    fields = MeasuredValue.DATED_FIELDS if with_record_dates else MeasuredValue.FIELDS
    _add_measurements(data, measurements.order_by().values_list(*fields))


def _load_needed_values(data, period, complete, today):
    """Every value of the `complete` indicators; of the others, what their status for
    `period` and the period before needs (see load_board_values)."""
    plan = data.plan
    index = next(i for i, p in enumerate(data.periods) if p.pk == period.pk)
    previous = data.periods[index - 1] if index > 0 else None
    shown = [p for p in (period, previous) if p is not None]
    values = Measurement.objects.of_plan(plan).order_by()
    needed = Q(period_id__in=[p.pk for p in shown]) | Q(indicator_id__in=complete)
    # A cumulative indicator's status sums its values up to the period.
    needed |= Q(indicator__is_cumulative=True, period__start_date__lte=period.start_date)
    rows = list(values.filter(needed).values_list(*MeasuredValue.FIELDS))
    # The targets of the periods the statuses may read: those shown, and those of the latest
    # values before them.
    read = {p.pk for p in shown}
    if previous is not None and any(p.end_date >= today for p in shown):
        # An open period's status reads the latest value before it: the previous period's,
        # else (one more query) the latest before that of the indicators without one.
        with_previous = {row[1] for row in rows if row[2] == previous.pk}
        without = [i.pk for i in data.indicators if i.pk not in with_previous]
        earlier = _latest_values_before(values, previous, without) if without else []
        rows += earlier
        read |= {row[2] for row in earlier}
    _add_measurements(data, rows)
    targets = Target.objects.filter(indicator__result__orientation__plan=plan).filter(
        Q(period_id__in=read) | Q(indicator_id__in=complete)
    )
    _add_targets(data, targets)


def _latest_values_before(values, period, indicator_pks):
    """The latest of `values` before `period` of each of the indicators `indicator_pks`."""
    latest_first = Window(
        RowNumber(), partition_by=F("indicator_id"), order_by=F("period__start_date").desc()
    )
    return list(
        values.filter(indicator_id__in=indicator_pks, period__start_date__lt=period.start_date)
        .annotate(recent=latest_first)
        .filter(recent=1)
        .values_list(*MeasuredValue.FIELDS)
    )


def _add_targets(data, targets):
    for indicator_id, period_id, value in targets.order_by().values_list(
        "indicator_id", "period_id", "value"
    ):
        data.targets.setdefault(indicator_id, {})[period_id] = value


def _add_measurements(data, rows):
    by_indicator = data.measurements
    for row in rows:
        measurement = MeasuredValue(*row)
        by_indicator.setdefault(measurement.indicator_id, {})[measurement.period_id] = measurement


def _load_breakdowns(data, *, complete=None):
    breakdowns = MeasurementBreakdown.objects.filter(
        measurement__indicator__result__orientation__plan=data.plan
    )
    if complete is not None:
        breakdowns = breakdowns.filter(measurement__indicator_id__in=complete)
    breakdowns = breakdowns.order_by("category__order", "category__name")
    for breakdown in breakdowns:
        data.breakdowns.setdefault(breakdown.measurement_id, []).append(breakdown)


def _load_strategies(data):
    """Strategies, the results they serve, their items and their recorded states."""
    plan = data.plan
    orientation_by_pk = {o.pk: o for o in data.orientations}
    for strategy in Strategy.objects.filter(orientation__plan=plan).order_by("order"):
        strategy.orientation = orientation_by_pk[strategy.orientation_id]
        data.strategies_by_orientation.setdefault(strategy.orientation_id, []).append(strategy)
    served = Strategy.results.through.objects.filter(strategy__orientation__plan=plan)
    for strategy_id, result_id in served.order_by().values_list("strategy_id", "result_id"):
        data.results_by_strategy.setdefault(strategy_id, set()).add(result_id)
    for item in StrategyItem.objects.filter(strategy__orientation__plan=plan).order_by("letter"):
        data.strategy_items.setdefault(item.strategy_id, []).append(item)
    progress = (
        StrategyProgress.objects.filter(strategy__orientation__plan=plan)
        .select_related("recorded_by")
        .order_by()
    )
    period_by_pk = {p.pk: p for p in data.periods}
    for each in progress:
        each.period = period_by_pk[each.period_id]
        data.strategy_progress.setdefault(each.strategy_id, {})[each.period_id] = each


def load_measurement_history(plan):
    """Every historical record of the plan's measurements, oldest first (1 query)."""
    return list(
        Measurement.history.filter(indicator__result__orientation__plan=plan)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
