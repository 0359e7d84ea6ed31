"""The board pages' reads of a plan, each in a fixed number of queries whatever its size.

`load_plan_data` fetches a whole plan (structure, periods, targets, measurements, breakdowns,
strategy states) into a PlanData, and `load_measurement_history` its values' history (for
corrections and « depuis la dernière rencontre »). Everything the board shows is then computed
from these in pure Python (status.py, viewmodels.py, history.py), so that the pages' query
counts never grow with the plan. Meetings and their packs are read in meetings.py.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

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
        return {period_pk for by_period in self.measurements.values() for period_pk in by_period}


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


def load_plan_data(plan, *, with_breakdowns=False, with_record_dates=False):
    """Everything the board pages show about `plan`, in 13 queries (14 with the breakdowns),
    plus those of the earlier plans' values when an indicator shows them
    (recording.continuity.earlier_points). The values' `recorded_at` and `updated_at` are
    read only `with_record_dates`."""
    data = PlanData(
        plan=plan,
        orientations=list(Orientation.objects.filter(plan=plan).order_by("number")),
        periods=list(ReportingPeriod.objects.filter(plan=plan).order_by("start_date")),
    )
    _load_structure(data)
    data.earlier = earlier_points(data.indicators)
    _load_scales(data)
    _load_values(data, with_record_dates=with_record_dates)
    if with_breakdowns:
        _load_breakdowns(data)
    _load_strategies(data)
    return data


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
    indicators = Indicator.objects.of_plan(plan).select_related("dimension").order_by("order")
    result_by_pk = {r.pk: r for r in data.results}
    for indicator in indicators:
        indicator.result = result_by_pk[indicator.result_id]
        data.indicators_by_result.setdefault(indicator.result_id, []).append(indicator)


def _load_scales(data):
    """The levels of the plan's scales and the categories of its dimensions."""
    plan = data.plan
    levels = ScaleLevel.objects.filter(indicator__result__orientation__plan=plan)
    for level in levels.order_by("indicator_id", "value"):
        data.levels_by_indicator.setdefault(level.indicator_id, []).append(level)
    categories = Category.objects.filter(
        dimension__indicators__result__orientation__plan=plan
    ).distinct()
    for category in categories.order_by("dimension_id", "order", "name"):
        data.categories_by_dimension.setdefault(category.dimension_id, []).append(category)


def _load_values(data, *, with_record_dates=False):
    """Targets and measurements, by indicator and period."""
    plan = data.plan
    targets = (
        Target.objects.filter(indicator__result__orientation__plan=plan)
        .order_by()
        .values_list("indicator_id", "period_id", "value")
    )
    for indicator_id, period_id, value in targets:
        data.targets.setdefault(indicator_id, {})[period_id] = value
    measurements = Measurement.objects.of_plan(plan).order_by()
    fields = MeasuredValue.DATED_FIELDS if with_record_dates else MeasuredValue.FIELDS
    by_indicator = data.measurements
    for row in measurements.values_list(*fields):
        measurement = MeasuredValue(*row)
        by_indicator.setdefault(measurement.indicator_id, {})[measurement.period_id] = measurement


def _load_breakdowns(data):
    breakdowns = MeasurementBreakdown.objects.filter(
        measurement__indicator__result__orientation__plan=data.plan
    ).order_by("category__order", "category__name")
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
