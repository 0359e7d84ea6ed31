"""The board's reads (indicators/board/data.py): a whole plan in a fixed number of queries."""

import datetime

import pytest

from indicators.board.data import (
    load_board_values,
    load_measurement_history,
    load_plan_data,
    load_plan_outline,
)
from indicators.board.status import assess_all
from indicators.models import MeasurementStatus
from indicators.rules.periods import previous_period
from plan.models import StrategicPlan
from tests import factories
from tests.board.data import current_plan_of_size

# Every period of the plan below is over.
TODAY = datetime.date(2026, 11, 26)


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


# --- The board's reads of what its statuses need (load_plan_outline + load_board_values) ----


def _sparse(plan, period, complete=(), today=TODAY):
    data = load_plan_outline(plan)
    period = next(p for p in data.periods if p.pk == period.pk)
    load_board_values(data, period, today=today, complete=complete)
    return data, period


@pytest.fixture
def gappy_plan(staff_user):
    """Six yearly periods (2020-2021 … 2025-2026); `gappy` measured in 2020, 2022 and 2025
    (gaps between), `cumulative` every year to 2023, `late` only in the last period, `never`
    never; targets everywhere, a « not measured » answer in 2023 for `late`."""
    plan = factories.plan(start_year=2020, end_year=2026, title="Plan à trous")
    periods = [factories.period(plan, year=year) for year in range(2020, 2026)]
    result = factories.result(factories.orientation(plan))
    made = {
        "gappy": factories.indicator(result),
        "cumulative": factories.indicator(result, is_cumulative=True),
        "late": factories.indicator(result),
        "never": factories.indicator(result),
    }
    for indicator in made.values():
        for index, period in enumerate(periods):
            factories.target(indicator, period, 10 * (index + 1))
    for index in (0, 2, 5):
        factories.measurement(made["gappy"], periods[index], staff_user, 7 * (index + 1))
    for index in range(4):
        factories.measurement(made["cumulative"], periods[index], staff_user, 12)
    factories.measurement(
        made["late"],
        periods[3],
        staff_user,
        status=MeasurementStatus.NOT_MEASURED,
        explanation="Reporté.",
    )
    factories.measurement(made["late"], periods[5], staff_user, 1)
    return plan, periods, made


def test_board_values_of_a_closed_period_are_those_of_it_and_the_one_before(
    gappy_plan, django_assert_num_queries
):
    """Of an indicator whose rows are not drawn, only what its status for the period and the
    one before needs: their values (every one up to the period of a cumulative indicator),
    and the targets of the two periods; nothing after the period."""
    plan, periods, made = gappy_plan
    data = load_plan_outline(plan)
    with django_assert_num_queries(2):
        load_board_values(data, data.periods[4], today=TODAY, complete=())
    pks = [p.pk for p in periods]
    # `gappy` has no value in 2023 nor 2024: both closed, its statuses are « missing data ».
    assert made["gappy"].pk not in data.measurements
    assert set(data.measurements[made["cumulative"].pk]) == {pks[0], pks[1], pks[2], pks[3]}
    assert set(data.measurements[made["late"].pk]) == {pks[3]}
    assert made["never"].pk not in data.measurements
    assert set(data.targets[made["never"].pk]) == {pks[3], pks[4]}
    assert not data.is_complete(made["gappy"].pk)
    # The periods with data are still the plan's (2025's included), for the default period.
    assert data.periods_with_data() == {pks[0], pks[1], pks[2], pks[3], pks[5]}


def test_board_values_of_an_open_period_add_the_latest_value_before_the_one_before(
    gappy_plan, django_assert_num_queries
):
    """2024-2025 still open: its status reads the latest value before it; for an indicator
    without one in 2023-2024 either, one more query reads its latest before that (and the
    target of its period)."""
    plan, periods, made = gappy_plan
    data = load_plan_outline(plan)
    with django_assert_num_queries(3):
        load_board_values(data, data.periods[4], today=datetime.date(2024, 9, 1), complete=())
    pks = [p.pk for p in periods]
    assert set(data.measurements[made["gappy"].pk]) == {pks[2]}
    assert set(data.targets[made["gappy"].pk]) == {pks[2], pks[3], pks[4]}
    assert set(data.measurements[made["late"].pk]) == {pks[3]}
    assert made["never"].pk not in data.measurements


def test_board_values_of_the_first_period_have_no_previous_one(gappy_plan):
    plan, periods, made = gappy_plan
    data, first = _sparse(plan, periods[0], today=datetime.date(2020, 9, 1))
    assert set(data.measurements[made["gappy"].pk]) == {periods[0].pk}
    assert set(data.targets[made["gappy"].pk]) == {periods[0].pk}
    assert previous_period(data.periods, first) is None


def test_board_values_of_the_last_period(gappy_plan):
    plan, periods, made = gappy_plan
    data, _last = _sparse(plan, periods[5])
    assert set(data.measurements[made["gappy"].pk]) == {periods[5].pk}
    assert set(data.measurements[made["late"].pk]) == {periods[5].pk}
    assert set(data.measurements[made["cumulative"].pk]) == {p.pk for p in periods[:4]}
    assert set(data.targets[made["gappy"].pk]) == {periods[4].pk, periods[5].pk}


def test_board_values_read_every_value_of_the_indicators_drawn(gappy_plan):
    plan, periods, made = gappy_plan
    data, _period = _sparse(plan, periods[1], complete={made["gappy"].pk})
    assert set(data.measurements[made["gappy"].pk]) == {periods[i].pk for i in (0, 2, 5)}
    assert set(data.targets[made["gappy"].pk]) == {p.pk for p in periods}
    assert data.is_complete(made["gappy"].pk)
    # Up to 2021-2022, `late` has no value yet.
    assert made["late"].pk not in data.measurements


@pytest.mark.parametrize(
    "today",
    [datetime.date(2022, 9, 1), datetime.date(2024, 9, 1), datetime.date(2025, 9, 1), TODAY],
)
def test_statuses_from_the_values_read_are_those_from_every_value(gappy_plan, today):
    """For each period, the first (no previous) and the last included, with 2022-2023,
    2024-2025, 2025-2026 or no period open: the statuses of the period and of the one before,
    read from the needed values only, are those read from every value (gaps, cumulative,
    not measured)."""
    plan, periods, _made = gappy_plan
    full = load_plan_data(plan)
    for period in full.periods:
        data, _period = _sparse(plan, period, today=today)
        for each in (period, previous_period(full.periods, period)):
            if each is None:
                continue
            mine = next(p for p in data.periods if p.pk == each.pk)
            assert assess_all(data, mine, today) == assess_all(full, each, today), each.name


@pytest.mark.parametrize("last_is_open", [False, True])
def test_a_generated_plan_has_the_same_statuses_from_the_values_read(board_data, last_is_open):
    """The demonstration plan (every kind, « not measured » answers), its last period over or
    still open: every period's statuses, from the needed values only and from every value,
    are equal."""
    current_plan_of_size("generated")
    plan = StrategicPlan.objects.current()
    full = load_plan_data(plan)
    today = full.periods[-1].start_date if last_is_open else TODAY
    for period in full.periods:
        data, mine = _sparse(plan, period, today=today)
        assert assess_all(data, mine, today) == assess_all(full, period, today), period.name
