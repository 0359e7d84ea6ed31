"""Continuity shown: a carried-over indicator's charts (its page, the result page, the
dashboard's sparkline) show the earlier plan's values, greyed, before the new plan's."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.charts.indicator import build_indicator_chart
from indicators.lifecycle.copy import plan_copy
from indicators.models import Indicator, MeasureKind, ReportingPeriod
from indicators.recording.continuity import earlier_points
from indicators.recording.services import measurement_record
from plan.models import StrategicPlan
from tests import codes, factories


@pytest.fixture
def next_plan(plan_2018_2023, tools_indicator):
    return plan_copy(
        source=plan_2018_2023, title="Plan stratégique 2023-2028", start_year=2023, end_year=2028
    )


@pytest.fixture
def carried(plan_2018_2023, next_plan, tools_indicator, staff_user, categories):
    """Indicator 1.2 carried over and opted in: 4 (2019-2020) and 7 (2021-2022), then 9
    (2023-2024)."""
    indicator = Indicator.objects.of_plan(next_plan).get(carried_over_from=tools_indicator)
    for plan_indicator, period, number in [
        (tools_indicator, ReportingPeriod.objects.get(plan=plan_2018_2023, name="2019-2020"), 4),
        (tools_indicator, ReportingPeriod.objects.get(plan=plan_2018_2023, name="2021-2022"), 7),
        (indicator, next_plan.periods.order_by("start_date").first(), 9),
    ]:
        measurement_record(
            indicator=plan_indicator,
            period=period,
            user=staff_user,
            breakdown={categories[0].pk: number},
            version=0,
        )
    indicator.shows_earlier_values = True
    indicator.full_clean()
    indicator.save()
    return indicator


def test_the_earlier_points_are_labelled_with_their_plan_oldest_first(carried):
    assert earlier_points([carried])[carried.pk] == [
        ("2018-2023 · 2018-2019", None),
        ("2018-2023 · 2019-2020", Decimal(4)),
        ("2018-2023 · 2020-2021", None),
        ("2018-2023 · 2021-2022", Decimal(7)),
        ("2018-2023 · 2022-2023", None),
    ]


def test_without_the_opt_in_there_are_no_earlier_points(carried):
    carried.shows_earlier_values = False
    carried.save()
    assert earlier_points([carried]) == {}


def test_earlier_points_of_a_whole_plan_take_three_queries(
    carried, next_plan, django_assert_num_queries
):
    """Prevents an N+1 over the carried-over indicators: one step back, periods, values."""
    Indicator.objects.of_plan(next_plan).exclude(pk=carried.pk).update(shows_earlier_values=True)
    indicators = list(Indicator.objects.of_plan(next_plan))
    with django_assert_num_queries(3):
        points = earlier_points(indicators)
    assert len(points) == 19


def test_a_chain_of_plans_shows_every_earlier_plan(carried, next_plan, staff_user):
    third = plan_copy(source=next_plan, title="Plan 2028-2033", start_year=2028, end_year=2033)
    latest = Indicator.objects.of_plan(third).get(carried_over_from=carried)
    latest.shows_earlier_values = True
    latest.save()
    labels = [label for label, _ in earlier_points([latest])[latest.pk]]
    assert labels[0] == "2018-2023 · 2018-2019"
    assert labels[-1] == "2023-2028 · 2027-2028"
    assert len(labels) == 10


def test_the_indicator_page_chart_shows_both_plans_values(board_client, carried, next_plan):
    # The board reads the new plan once it is current (a draft's pages are staff's only).
    StrategicPlan.objects.update(is_current=False)
    StrategicPlan.objects.filter(pk=next_plan.pk).update(is_current=True)
    html = board_client.get(carried.get_absolute_url()).content.decode()
    assert 'class="chart-earlier"' in html
    assert "<title>2018-2023 · 2019-2020 : 4</title>" in html
    assert "<title>2018-2023 · 2021-2022 : 7</title>" in html
    assert "Plan précédent" in html
    # The table: the earlier plan's rows (named with their plan) before the new plan's.
    table = html[html.index("2018-2023 · 2018-2019") :]
    assert table.index("2018-2023 · 2022-2023") < table.index("2023-2024")


def test_the_result_page_chart_shows_both_plans_values(board_client, carried, next_plan):
    # The board reads the new plan once it is current (a draft's pages are staff's only).
    StrategicPlan.objects.update(is_current=False)
    StrategicPlan.objects.filter(pk=next_plan.pk).update(is_current=True)
    url = reverse("board:result_detail", args=[carried.result_id])
    html = board_client.get(url).content.decode()
    assert "<title>2018-2023 · 2021-2022 : 7</title>" in html
    assert "<title>2023-2024 – " in html


def test_the_dashboard_sparkline_greys_the_earlier_values_before_the_new(
    board_client, carried, next_plan
):
    StrategicPlan.objects.update(is_current=False)
    StrategicPlan.objects.filter(pk=next_plan.pk).update(is_current=True)
    html = board_client.get("/").content.decode()
    assert html.count('<path class="e"') == 1
    assert "2018-2023 · 2021-2022 : 7 ; 2018-2023 · 2022-2023 : aucune valeur ; 2023-2024 : 9" in (
        html
    )


def test_a_values_chart_draws_the_earlier_series_in_grey(plan_2018_2023):
    indicator = factories.indicator(codes.result(1), kind=MeasureKind.COUNT, order=20)
    periods = list(plan_2018_2023.periods.order_by("start_date")[:2])
    chart = build_indicator_chart(
        indicator,
        periods=periods,
        measurements={},
        targets={periods[0].pk: Decimal(10)},
        earlier=[("2013-2018 · 2016-2017", Decimal(3)), ("2013-2018 · 2017-2018", Decimal(5))],
    )
    assert chart.svg.count('<polyline class="chart-earlier"') == 1
    assert chart.svg.count('<circle class="chart-earlier"') == 2
    assert [row[0] for row in chart.table.rows] == [
        "2013-2018 · 2016-2017",
        "2013-2018 · 2017-2018",
        "2018-2019",
        "2019-2020",
    ]
    assert chart.table.rows[1] == ["2013-2018 · 2017-2018", "5", "—"]
