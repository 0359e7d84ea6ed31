"""Continuity between plans: a carried-over indicator can show the earlier plan's values."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.lifecycle.copy import plan_copy
from indicators.models import Indicator, ReportingPeriod
from indicators.recording.continuity import earlier_values
from indicators.recording.services import measurement_record


@pytest.fixture
def next_plan(plan_2018_2023, tools_indicator):
    return plan_copy(
        source=plan_2018_2023,
        title="Plan stratégique 2023-2028",
        start_year=2023,
        end_year=2028,
    )


@pytest.fixture
def carried(next_plan, tools_indicator):
    return Indicator.objects.of_plan(next_plan).get(carried_over_from=tools_indicator)


def _record(indicator, period, user, category, number):
    return measurement_record(
        indicator=indicator, period=period, user=user, breakdown={category.pk: number}, version=0
    )


def test_earlier_plan_values_come_before_the_new_ones_once_opted_in(
    plan_2018_2023, next_plan, carried, tools_indicator, staff_user, categories
):
    for name, number in [("2019-2020", 4), ("2021-2022", 7)]:
        period = ReportingPeriod.objects.get(plan=plan_2018_2023, name=name)
        _record(tools_indicator, period, staff_user, categories[0], number)
    _record(carried, next_plan.periods.first(), staff_user, categories[0], 9)

    assert not earlier_values(carried)  # opt-in: nothing until an administrator asks

    carried.shows_earlier_values = True
    carried.full_clean()
    carried.save()
    earlier = earlier_values(carried)

    assert earlier.indicators == [tools_indicator]
    assert [p.name for p in earlier.periods] == [
        "2018-2019",
        "2019-2020",
        "2020-2021",
        "2021-2022",
        "2022-2023",
    ]
    assert {p.name: m.value for p, m in ((m.period, m) for m in earlier.measurements.values())} == {
        "2019-2020": 4,
        "2021-2022": 7,
    }
    # Breakdowns come along for the stacked chart.
    measurement = next(iter(earlier.measurements.values()))
    assert [b.category for b in measurement.breakdowns.all()] == [categories[0]]


def test_continuity_follows_the_chain_of_plans_while_each_step_opts_in(
    next_plan, carried, tools_indicator, staff_user, categories
):
    later_plan = plan_copy(source=next_plan, title="Plan 2028-2033", start_year=2028, end_year=2033)
    latest = Indicator.objects.of_plan(later_plan).get(carried_over_from=carried)
    Indicator.objects.filter(pk__in=[latest.pk, carried.pk]).update(shows_earlier_values=True)
    latest.refresh_from_db()

    assert earlier_values(latest).indicators == [carried, tools_indicator]

    Indicator.objects.filter(pk=carried.pk).update(shows_earlier_values=False)
    assert earlier_values(latest).indicators == [carried]


def test_only_a_carried_over_indicator_can_show_earlier_values(tools_indicator):
    tools_indicator.shows_earlier_values = True
    with pytest.raises(ValidationError):
        tools_indicator.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        tools_indicator.save()


def test_earlier_values_are_refused_where_the_definitions_differ(carried, tools_indicator):
    carried.kind = "count"
    carried.dimension = None
    carried.shows_earlier_values = True
    with pytest.raises(ValidationError) as error:
        carried.full_clean()
    assert "shows_earlier_values" in error.value.message_dict


def test_an_indicator_cannot_continue_one_of_its_own_plan(tools_indicator, level_indicator):
    level_indicator.carried_over_from = tools_indicator
    with pytest.raises(ValidationError) as error:
        level_indicator.full_clean()
    assert "carried_over_from" in error.value.message_dict


def test_an_indicator_with_a_continuation_cannot_be_deleted_silently(carried, tools_indicator):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        tools_indicator.delete()
