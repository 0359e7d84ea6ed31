"""Which strategies still serve their results (pure, no query).

A strategy's state on the board is the latest one recorded up to the period read; it serves
its results unless that state is "abandoned". A result no active strategy serves is flagged.
"""

from indicators.models import StrategyState


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


def unserved_results(data, period=None):
    """Results of `data` (a data.PlanData) that no active strategy serves (none at all, or
    only abandoned ones)."""
    served = set()
    for strategy in data.strategies:
        progress = latest_state(data.strategy_progress.get(strategy.pk, {}), data.periods, period)
        if is_active(progress):
            served |= data.results_by_strategy.get(strategy.pk, set())
    return [result for result in data.results if result.pk not in served]
