"""The board's reads (indicators/board/data.py): a whole plan in a fixed number of queries."""

import pytest

from indicators.board.data import load_measurement_history, load_plan_data
from plan.models import StrategicPlan
from tests.board.data import current_plan_of_size


@pytest.mark.parametrize("size", ["fixture", "generated"])
def test_plan_data_is_read_in_13_queries_whatever_the_plan_size(
    board_data, django_assert_num_queries, size
):
    """Prevents an N+1 over orientations, results, indicators, values or strategies: 13
    queries, 14 with the breakdowns, however many indicators, periods and values."""
    current_plan_of_size(size)
    plan = StrategicPlan.objects.current()
    with django_assert_num_queries(13):
        data = load_plan_data(plan)
    with django_assert_num_queries(14):
        with_breakdowns = load_plan_data(plan, with_breakdowns=True)
    assert len(data.indicators) == (40 if size == "generated" else 19)
    assert data.measurements
    assert with_breakdowns.breakdowns
    with django_assert_num_queries(1):
        assert load_measurement_history(plan)
