"""Progress of the plan: the status rule of the dashboard, and the data it runs on.

Two functions here read the database, each in a fixed number of queries: `load_plan_data`
fetches a whole plan (structure, periods, targets, measurements, breakdowns, strategy states)
and `load_measurement_history` its values' history (for corrections and « depuis la dernière
rencontre »). Everything else is a pure function over that already-fetched data, so that the
rule can be tested with exact cases and the board's query counts never grow with the plan.
What each kind of indicator contributes (compared with a target? values add up?) is asked of
its kind (indicators/kinds.py); the words beside a status come from indicators/board/stories.py.

Status rule (DOMAIN.md): compare the latest measured value with the target of the same period,
in the indicator's direction, from the baseline (0 when none):
progress = (value − baseline) / (target − baseline), or its mirror when lower is better.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import pgettext_lazy

from indicators.board import stories
from indicators.models import (
    Category,
    Direction,
    Indicator,
    Measurement,
    MeasurementBreakdown,
    MeasurementStatus,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    StrategyState,
    Target,
    strategy_state_label,
)
from indicators.recording.continuity import earlier_points
from indicators.rules.chart_spec import series
from indicators.rules.formatting import Formatter
from indicators.rules.kinds import kind_of
from plan.models import Orientation, Result, ResultItem, Strategy, StrategyItem

HUNDRED = Decimal(100)
SNIPPET_LENGTH = 140


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
    snippet: str = ""
    explanation: str = ""

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


def snippet(text, length=SNIPPET_LENGTH):
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


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


def assess(*, indicator, period, periods, measurements, targets, thresholds, today):
    """The status of `indicator` for `period`.

    `periods`: the plan's periods in order; `measurements` and `targets`: dicts of this
    indicator's Measurement (or historical record) and Target values keyed by period pk.
    """
    measurement = measurements.get(period.pk)
    used_period = period
    if measurement is None:
        if period.end_date < today:
            return Assessment(Status.MISSING, period=period, target=targets.get(period.pk))
        # The chosen period is still open: show the latest value recorded before it.
        earlier = [p for p in periods if p.start_date < period.start_date and p.pk in measurements]
        if not earlier:
            return Assessment(Status.MISSING, period=period, target=targets.get(period.pk))
        used_period = earlier[-1]
        measurement = measurements[used_period.pk]
    target = targets.get(used_period.pk)
    assessment = Assessment(
        Status.MISSING, period=used_period, measurement=measurement, target=target
    )
    if measurement.status == MeasurementStatus.NOT_MEASURED:
        assessment.status = Status.NOT_MEASURED
        assessment.explanation = measurement.explanation
        return assessment
    kind = kind_of(indicator)
    if not kind.is_assessed:
        # A narrative: no value to compare with a target.
        if measurement.narrative.strip():
            assessment.status = Status.QUALITATIVE
            assessment.snippet = snippet(measurement.narrative)
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


def rollup(statuses):
    """[(status, label, count)] for the statuses present, laggards first: counts, no average."""
    counts = Counter(statuses)
    return [(status, status.label, counts[status]) for status in STATUS_ORDER if counts[status]]


def latest_state(progress_by_period, periods, period=None):
    """The strategy's latest recorded StrategyProgress up to `period` (all periods if None)."""
    latest = None
    for each in periods:
        if each.pk in progress_by_period:
            latest = progress_by_period[each.pk]
        if period is not None and each.pk == period.pk:
            break
    return latest


def is_active(progress):
    """A strategy serves its results unless its latest recorded state is "abandoned"."""
    return progress is None or progress.state != StrategyState.ABANDONED


# --------------------------------------------------------------------------------------
# Fetching a whole plan in a fixed number of queries
# --------------------------------------------------------------------------------------


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


@dataclass(frozen=True, slots=True)
class MeasuredValue:
    """A recorded value as the board reads it: plain fields read as a tuple, not a model
    instance (4 000 of them on a large plan). The model's rule answers `is_not_measured`."""

    pk: int
    indicator_id: int
    period_id: int
    status: str
    value: Decimal | None
    narrative: str
    explanation: str
    recorded_at: object
    updated_at: object

    FIELDS = (
        "pk",
        "indicator_id",
        "period_id",
        "status",
        "value",
        "narrative",
        "explanation",
        "recorded_at",
        "updated_at",
    )
    is_not_measured = Measurement.is_not_measured

    @property
    def id(self):
        return self.pk


def load_plan_data(plan, *, with_breakdowns=False):
    """Everything the dashboard shows about `plan`, in 12 queries (13 with the breakdowns)."""
    orientations = list(Orientation.objects.filter(plan=plan).order_by("number"))
    data = PlanData(
        plan=plan,
        orientations=orientations,
        periods=list(ReportingPeriod.objects.filter(plan=plan).order_by("start_date")),
    )
    orientation_by_pk = {o.pk: o for o in orientations}
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
    data.earlier = earlier_points(data.indicators)
    # Plan-wide reads sort on their own columns, never on the models' default ordering (which
    # joins up to the plan's title).
    levels = ScaleLevel.objects.filter(indicator__result__orientation__plan=plan)
    for level in levels.order_by("indicator_id", "value"):
        data.levels_by_indicator.setdefault(level.indicator_id, []).append(level)
    categories = Category.objects.filter(
        dimension__indicators__result__orientation__plan=plan
    ).distinct()
    for category in categories.order_by("dimension_id", "order", "name"):
        data.categories_by_dimension.setdefault(category.dimension_id, []).append(category)
    targets = (
        Target.objects.filter(indicator__result__orientation__plan=plan)
        .order_by()
        .values_list("indicator_id", "period_id", "value")
    )
    for indicator_id, period_id, value in targets:
        data.targets.setdefault(indicator_id, {})[period_id] = value
    measurements = Measurement.objects.of_plan(plan).order_by()
    for row in measurements.values_list(*MeasuredValue.FIELDS):
        measurement = MeasuredValue(*row)
        data.measurements.setdefault(measurement.indicator_id, {})[measurement.period_id] = (
            measurement
        )
    if with_breakdowns:
        breakdowns = MeasurementBreakdown.objects.filter(
            measurement__indicator__result__orientation__plan=plan
        ).order_by("category__order", "category__name")
        for breakdown in breakdowns:
            data.breakdowns.setdefault(breakdown.measurement_id, []).append(breakdown)
    strategies = Strategy.objects.filter(orientation__plan=plan).order_by("order")
    for strategy in strategies:
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
    return data


def assess_all(data, period, today, measurements=None):
    """{indicator pk: Assessment} for every indicator of the plan, for `period`."""
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


def unserved_results(data, period=None):
    """Results that no active strategy serves (none at all, or only abandoned ones)."""
    served = set()
    for strategy in data.strategies:
        progress = latest_state(data.strategy_progress.get(strategy.pk, {}), data.periods, period)
        if is_active(progress):
            served |= data.results_by_strategy.get(strategy.pk, set())
    return [result for result in data.results if result.pk not in served]


# --------------------------------------------------------------------------------------
# The board's view of a plan: orientations → results → indicators, with roll-ups
# --------------------------------------------------------------------------------------


@dataclass
class BoardIndicator:
    indicator: object
    assessment: Assessment
    # [(period name, value or None, target or None)] for the sparkline and its table.
    points: list
    levels: list
    # [(« 2018-2023 · 2019-2020 », value)]: the earlier plans' values, greyed before `points`.
    earlier: list = field(default_factory=list)

    @property
    def value_text(self):
        return self._text(self.assessment.value)

    @property
    def target_text(self):
        return self._text(self.assessment.target)

    @property
    def percent_text(self):
        return Formatter.active().percent(self.assessment.percent)

    def _text(self, value):
        """The value in the indicator's kind: "12 outils", "3 – Intégration", "12,5 %"."""
        return kind_of(self.indicator).value_text(self.indicator, value, levels=self.levels)

    # --- What the board reads next to each status (issue 10): see indicators/board/stories.py

    @property
    def story(self):
        """The staff's story of the period: the narrative, or why it was not measured."""
        return stories.story_of(self.assessment)

    @property
    def story_short(self):
        return snippet(self.story)

    @property
    def story_is_long(self):
        return self.story_short != " ".join(self.story.split())

    @property
    def is_level(self):
        return bool(self.levels)

    @property
    def value_phrase(self):
        """« niveau 3 – Expérimentation », « 1 234 outils »; never a percentage for a level."""
        return stories.value_phrase(self)

    @property
    def target_phrase(self):
        """« cible 4 – Consolidation », « cible 1 200 outils »."""
        return stories.target_phrase(self)

    @property
    def progress_text(self):
        """The share of the way to the target; empty for levels (an ordinal scale)."""
        if self.is_level or self.assessment.percent is None:
            return ""
        return self.percent_text

    @property
    def period_value_text(self):
        """A cumulative indicator's own value for the period, beside its running total."""
        return stories.period_value_text(self)

    @property
    def direction_arrow(self):
        return stories.direction_arrow(self.indicator)

    @property
    def direction_words(self):
        return stories.direction_words(self.indicator)

    @property
    def baseline_text(self):
        return stories.baseline_text(self)


@dataclass
class BoardStrategy:
    strategy: object
    items: list
    latest: object
    # [(period, StrategyProgress)] in period order: the dated notes.
    history: list
    results: list

    @property
    def state(self):
        return self.latest.state if self.latest else ""

    @property
    def state_label(self):
        return strategy_state_label(self.state)

    @property
    def is_active(self):
        return is_active(self.latest)


@dataclass
class BoardResult:
    result: object
    items: list
    indicators: list
    rollup: list
    served_by_active_strategy: bool


@dataclass
class BoardOrientation:
    orientation: object
    results: list
    rollup: list
    strategies: list


@dataclass
class Board:
    plan: object
    period: object
    periods: list
    orientations: list
    rollup: list
    matrix_results: list
    unserved: list

    @property
    def indicators(self):
        return [i for o in self.orientations for r in o.results for i in r.indicators]

    @property
    def strategies(self):
        return [s for o in self.orientations for s in o.strategies]


def build_board(data, period, today, *, measurements=None):
    """Assemble the board's view of `data` for `period`: pure Python, no query."""
    assessments = assess_all(data, period, today, measurements) if period else {}
    unserved = {r.pk for r in unserved_results(data, period)}
    results_by_pk = {r.pk: r for r in data.results}
    orientations = []
    for orientation in data.orientations:
        board_results = []
        for result in data.results_by_orientation.get(orientation.pk, []):
            board_indicators = []
            for indicator in data.indicators_by_result.get(result.pk, []):
                levels = (
                    [(lv.value, lv.label) for lv in data.levels_by_indicator.get(indicator.pk, [])]
                    if kind_of(indicator).has_levels
                    else []
                )
                assessment = assessments.get(indicator.pk) or Assessment(Status.MISSING)
                board_indicators.append(
                    BoardIndicator(
                        indicator=indicator,
                        assessment=assessment,
                        points=series(
                            data.periods,
                            data.measurements.get(indicator.pk, {}),
                            data.targets.get(indicator.pk, {}),
                        ),
                        levels=levels,
                        earlier=data.earlier.get(indicator.pk, []),
                    )
                )
            board_results.append(
                BoardResult(
                    result=result,
                    items=data.items_by_result.get(result.pk, []),
                    indicators=board_indicators,
                    rollup=rollup(i.assessment.status for i in board_indicators),
                    served_by_active_strategy=result.pk not in unserved,
                )
            )
        strategies = []
        for strategy in data.strategies_by_orientation.get(orientation.pk, []):
            by_period = data.strategy_progress.get(strategy.pk, {})
            strategies.append(
                BoardStrategy(
                    strategy=strategy,
                    items=data.strategy_items.get(strategy.pk, []),
                    latest=latest_state(by_period, data.periods, period),
                    history=[(p, by_period[p.pk]) for p in data.periods if p.pk in by_period],
                    results=sorted(
                        (
                            results_by_pk[pk]
                            for pk in data.results_by_strategy.get(strategy.pk, ())
                            if pk in results_by_pk
                        ),
                        key=lambda r: r.number,
                    ),
                )
            )
        orientations.append(
            BoardOrientation(
                orientation=orientation,
                results=board_results,
                rollup=rollup(i.assessment.status for r in board_results for i in r.indicators),
                strategies=strategies,
            )
        )
    return Board(
        plan=data.plan,
        period=period,
        periods=data.periods,
        orientations=orientations,
        rollup=rollup(
            i.assessment.status for o in orientations for r in o.results for i in r.indicators
        ),
        matrix_results=data.results,
        unserved=[r for r in data.results if r.pk in unserved],
    )


def matrix_rows(board):
    """[(BoardStrategy, [served? per result of the plan])] for the strategy × result matrix."""
    rows = []
    for strategy in board.strategies:
        served = {r.pk for r in strategy.results}
        rows.append((strategy, [r.pk in served for r in board.matrix_results]))
    return rows


# --------------------------------------------------------------------------------------
# What changed since the last meeting
# --------------------------------------------------------------------------------------


@dataclass
class Correction:
    """A reported value changed afterwards, with the reason given for the change."""

    indicator: object
    period: object
    old_value: Decimal | None
    new_value: Decimal | None
    old_status: str
    new_status: str
    changed_at: object
    changed_by: object
    reason: str

    @property
    def was_not_measured(self):
        return self.old_status == MeasurementStatus.NOT_MEASURED

    @property
    def is_not_measured(self):
        return self.new_status == MeasurementStatus.NOT_MEASURED


@dataclass
class StatusChange:
    indicator: object
    before: Assessment
    after: Assessment


def load_measurement_history(plan):
    """Every historical record of the plan's measurements, oldest first (1 query)."""
    return list(
        Measurement.history.filter(indicator__result__orientation__plan=plan)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )


def history_by_measurement(records):
    grouped = {}
    for record in records:
        grouped.setdefault(record.id, []).append(record)
    return grouped


def corrections(records, *, indicators, periods, since=None, period_pks=None):
    """Changes ("~" records after a measurement's first) to a reported value or answer.

    `since`: only changes made from this datetime; `period_pks`: only these periods' values.
    A change that only fills a value that was empty is not a correction.
    """
    found = []
    for history in history_by_measurement(records).values():
        for previous, record in zip(history, history[1:], strict=False):
            if record.history_type != "~":
                continue
            if since is not None and record.history_date < since:
                continue
            if period_pks is not None and record.period_id not in period_pks:
                continue
            same = previous.value == record.value and previous.status == record.status
            if same or (previous.value is None and previous.status == record.status):
                continue
            if record.indicator_id not in indicators or record.period_id not in periods:
                continue
            found.append(
                Correction(
                    indicator=indicators[record.indicator_id],
                    period=periods[record.period_id],
                    old_value=previous.value,
                    new_value=record.value,
                    old_status=previous.status,
                    new_status=record.status,
                    changed_at=record.history_date,
                    changed_by=record.history_user,
                    reason=record.history_change_reason or "",
                )
            )
    found.sort(key=lambda c: c.changed_at, reverse=True)
    return found


def snapshot_as_of(records, moment):
    """{indicator pk: {period pk: historical record}}: the measurements as they were."""
    snapshot = {}
    for history in history_by_measurement(records).values():
        known = [r for r in history if r.history_date <= moment]
        if known and known[-1].history_type != "-":
            record = known[-1]
            snapshot.setdefault(record.indicator_id, {})[record.period_id] = record
    return snapshot


def status_changes(indicators, before, after):
    """Indicators whose status differs between two {indicator pk: Assessment} maps."""
    return [
        StatusChange(indicator, before[indicator.pk], after[indicator.pk])
        for indicator in indicators
        if before[indicator.pk].status != after[indicator.pk].status
    ]
