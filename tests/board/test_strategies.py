"""Which strategies serve their results (indicators/board/strategies.py), without a database."""

from types import SimpleNamespace

from indicators.board.strategies import is_active, latest_state
from indicators.models import StrategyState

PERIODS = [SimpleNamespace(pk=pk) for pk in (1, 2, 3)]


def state(value):
    return SimpleNamespace(state=value)


def test_only_an_abandoned_strategy_stops_serving_its_results():
    assert is_active(None)
    assert is_active(state(StrategyState.IN_PROGRESS))
    assert is_active(state(StrategyState.DONE))
    assert not is_active(state(StrategyState.ABANDONED))


def test_the_state_read_is_the_latest_recorded_up_to_the_period():
    started, abandoned = state(StrategyState.IN_PROGRESS), state(StrategyState.ABANDONED)
    by_period = {1: started, 3: abandoned}
    assert latest_state(by_period, PERIODS, PERIODS[0]) is started
    assert latest_state(by_period, PERIODS, PERIODS[1]) is started  # nothing new in period 2
    assert latest_state(by_period, PERIODS, PERIODS[2]) is abandoned
    assert latest_state(by_period, PERIODS) is abandoned  # no period: the latest of all
    assert latest_state({}, PERIODS, PERIODS[2]) is None
