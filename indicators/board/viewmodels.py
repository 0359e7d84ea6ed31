"""The board's view of a plan, as its pages show it: orientations → results → indicators.

`build_board` assembles it from a data.PlanData for one period, in pure Python (no query):
each indicator row carries its Assessment (status.py), its sparkline points and the words
beside its status (stories.py); results and orientations carry their status roll-ups, and
strategies their state (strategies.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.urls import reverse

from indicators.board import stories
from indicators.board.status import Assessment, Status, assess_all, rollup
from indicators.board.strategies import is_active, latest_state, unserved_results
from indicators.models import strategy_state_label
from indicators.rules.chart_spec import series
from indicators.rules.formatting import Formatter
from indicators.rules.kinds import kind_of


class LazySeries(Sequence):
    """An indicator's points [(period name, value, target)], built on first read: a folded
    dashboard draws no sparkline, and building 800 series was a tenth of its cold time."""

    __slots__ = ("_sources", "_points")

    def __init__(self, periods, measurements, targets):
        self._sources = (periods, measurements, targets)
        self._points = None

    def _built(self):
        if self._points is None:
            self._points = series(*self._sources)
        return self._points

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self):
        return iter(self._built())

    def __len__(self):
        return len(self._built())

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    __hash__ = None

    def __repr__(self):
        return repr(self._built())


@dataclass
class BoardIndicator:
    indicator: object
    assessment: Assessment
    # [(period name, value or None, target or None)] for the sparkline and its table; None
    # when only the values its status needs were read (a folded dashboard draws no row).
    points: list | None
    levels: list
    # [(« 2018-2023 · 2019-2020 », value)]: the earlier plans' values, greyed before `points`.
    earlier: list = field(default_factory=list)
    # The indicator's page (build_board's one reversed pattern, not a reverse per row).
    url: str = ""

    # --- What the board reads next to each status (issue 10): see indicators/board/stories.py

    @property
    def story(self):
        """The staff's story of the period: the narrative, or why it was not measured."""
        return stories.story_of(self.assessment)

    @property
    def story_short(self):
        return stories.snippet(self.story)

    @property
    def story_is_long(self):
        return self.story_short != " ".join(self.story.split())

    @property
    def is_unvalidated(self):
        """The value shown is « à valider » or « retournée »: the board sees « non validée »."""
        return bool(getattr(self.assessment.measurement, "is_unvalidated", False))

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
        return Formatter.active().percent(self.assessment.percent)

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

    @property
    def indicator_count(self):
        return sum(count for _status, _label, count in self.rollup)


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
    def strategies(self):
        return [s for o in self.orientations for s in o.strategies]


def url_pattern(name):
    """pk → the URL `name` takes with that pk, from one reverse (a reverse per indicator was
    a tenth of a large dashboard's time)."""
    marker = 2147483647
    prefix, suffix = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


def build_board(data, period, today):
    """Assemble the board's view of `data` for `period`: pure Python, no query."""
    assessments = assess_all(data, period, today) if period else {}
    unserved = {r.pk for r in unserved_results(data, period)}
    results_by_pk = {r.pk: r for r in data.results}
    context = _Context(assessments, unserved, url_pattern("indicators:indicator_detail"))
    orientations = [
        _board_orientation(data, orientation, period, context, results_by_pk)
        for orientation in data.orientations
    ]
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


@dataclass(frozen=True)
class _Context:
    """What every row of one board shares: the assessments, the results no active strategy
    serves, the indicator page's URL pattern."""

    assessments: dict
    unserved: set
    indicator_url: object


def _board_orientation(data, orientation, period, context, results_by_pk):
    results = [
        _board_result(data, result, context)
        for result in data.results_by_orientation.get(orientation.pk, [])
    ]
    return BoardOrientation(
        orientation=orientation,
        results=results,
        rollup=rollup(i.assessment.status for r in results for i in r.indicators),
        strategies=[
            _board_strategy(data, strategy, period, results_by_pk)
            for strategy in data.strategies_by_orientation.get(orientation.pk, [])
        ],
    )


def _board_result(data, result, context):
    indicators = [
        _board_indicator(data, indicator, context)
        for indicator in data.indicators_by_result.get(result.pk, [])
    ]
    return BoardResult(
        result=result,
        items=data.items_by_result.get(result.pk, []),
        indicators=indicators,
        rollup=rollup(i.assessment.status for i in indicators),
        served_by_active_strategy=result.pk not in context.unserved,
    )


def _board_indicator(data, indicator, context):
    assessment = context.assessments.get(indicator.pk)
    levels = (
        [(level.value, level.label) for level in data.levels_by_indicator.get(indicator.pk, [])]
        if kind_of(indicator).has_levels
        else []
    )
    return BoardIndicator(
        indicator=indicator,
        assessment=assessment or Assessment(Status.MISSING),
        points=LazySeries(
            data.periods,
            data.measurements.get(indicator.pk, {}),
            data.targets.get(indicator.pk, {}),
        )
        if data.is_complete(indicator.pk)
        else None,
        levels=levels,
        earlier=data.earlier.get(indicator.pk, []),
        url=context.indicator_url(indicator.pk),
    )


def _board_strategy(data, strategy, period, results_by_pk):
    by_period = data.strategy_progress.get(strategy.pk, {})
    served = data.results_by_strategy.get(strategy.pk, ())
    return BoardStrategy(
        strategy=strategy,
        items=data.strategy_items.get(strategy.pk, []),
        latest=latest_state(by_period, data.periods, period),
        history=[(p, by_period[p.pk]) for p in data.periods if p.pk in by_period],
        results=sorted(
            (results_by_pk[pk] for pk in served if pk in results_by_pk), key=lambda r: r.number
        ),
    )


def matrix_rows(strategies, results):
    """[(BoardStrategy, [served? per result])] for the strategy × result matrix."""
    rows = []
    for strategy in strategies:
        served = {r.pk for r in strategy.results}
        rows.append((strategy, [r.pk in served for r in results]))
    return rows
