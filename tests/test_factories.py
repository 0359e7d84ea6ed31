"""The test factories build valid objects: what they save passes the models' own checks."""

import datetime

import pytest

from indicators.models import MeasureKind
from tests import codes, factories


@pytest.mark.parametrize("kind", MeasureKind.values)
def test_an_indicator_of_each_kind_is_valid(db, kind):
    plan = factories.plan()
    result = factories.result(factories.orientation(plan))
    indicator = factories.indicator(result, kind=kind)
    indicator.full_clean()
    assert (indicator.result.number, indicator.order) == (1, 1)
    if kind == MeasureKind.COUNT_BY_CATEGORY:
        assert indicator.dimension.categories.count() == 3
    if kind == MeasureKind.LEVEL:
        assert list(indicator.levels.values_list("value", flat=True)) == [1, 2, 3, 4, 5]


def test_structure_numbers_follow_the_plan_and_periods_are_fiscal_years(plan_2018_2023):
    orientation = factories.orientation(plan_2018_2023)
    result = factories.result(orientation)
    strategy = factories.strategy(orientation, results=[result])
    assert (orientation.number, result.number, strategy.order) == (6, 8, 1)
    assert list(strategy.results.all()) == [result]
    for made in (orientation, result, strategy):
        made.full_clean()
    period = factories.period(factories.plan(start_year=2023, end_year=2028))
    period.full_clean()
    assert (period.name, period.start_date, period.end_date) == (
        "2023-2024",
        datetime.date(2023, 4, 1),
        datetime.date(2024, 3, 31),
    )


def test_a_measurement_with_a_breakdown_totals_its_categories(plan_2018_2023, staff_user):
    indicator = codes.indicator("1.2")
    first, second = indicator.dimension.categories.all()[:2]
    measurement = factories.measurement(
        indicator, codes.period("2018-2019"), staff_user, breakdown={first: 3, second: 4}
    )
    measurement.full_clean()
    assert measurement.value == 7
    assert {b.category: b.value for b in measurement.breakdowns.all()} == {first: 3, second: 4}
