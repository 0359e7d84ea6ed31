import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators.lifecycle.copy import plan_copy
from indicators.models import (
    Indicator,
    Measurement,
    ReportingPeriod,
    ScaleLevel,
    StrategyProgress,
    Target,
)
from indicators.recording.services import measurement_record, strategy_progress_record
from plan.models import Result, StrategicPlan, Strategy
from tests.plan_structure import plan_structure

NEXT = {"title": "Plan stratégique 2023-2028", "start_year": 2023, "end_year": 2028}


@pytest.fixture
def recorded(plan_2018_2023, staff_user, tools_indicator, categories):
    """A value, a target and a strategy state in the 2018-2023 plan."""
    period = ReportingPeriod.objects.get(plan=plan_2018_2023, name="2019-2020")
    measurement_record(
        indicator=tools_indicator,
        period=period,
        user=staff_user,
        breakdown={categories[0].pk: 3},
        version=0,
    )
    Target.objects.create(indicator=tools_indicator, period=period, value=10)
    strategy = Strategy.objects.filter(orientation__plan=plan_2018_2023).first()
    strategy_progress_record(
        strategy=strategy, period=period, state="in_progress", note="", user=staff_user
    )
    return period


def test_copy_of_the_2018_2023_plan_is_a_draft_with_the_same_structure_and_no_values(
    plan_2018_2023, recorded
):
    copy = plan_copy(source=plan_2018_2023, **NEXT)

    assert (copy.title, copy.start_year, copy.end_year) == (NEXT["title"], 2023, 2028)
    assert not copy.is_current
    assert not copy.is_closed
    assert StrategicPlan.objects.current() == plan_2018_2023
    assert copy.orientations.count() == 5
    assert Result.objects.filter(orientation__plan=copy).count() == 7
    assert Indicator.objects.of_plan(copy).count() == 19
    assert Strategy.objects.filter(orientation__plan=copy).count() == 26
    assert ScaleLevel.objects.filter(indicator__result__orientation__plan=copy).count() == 30
    assert copy.values.count() == 4
    # Same links and text, down to the strategies serving results of other orientations.
    assert plan_structure(copy) == plan_structure(plan_2018_2023)
    # New yearly periods; nothing recorded came along.
    assert list(copy.periods.values_list("name", flat=True)) == [
        "2023-2024",
        "2024-2025",
        "2025-2026",
        "2026-2027",
        "2027-2028",
    ]
    assert not Measurement.objects.of_plan(copy).exists()
    assert not Target.objects.filter(period__plan=copy).exists()
    assert not StrategyProgress.objects.filter(period__plan=copy).exists()
    # The source is untouched.
    assert Measurement.objects.of_plan(plan_2018_2023).count() == 1


def test_each_copied_indicator_remembers_the_indicator_it_came_from(plan_2018_2023):
    copy = plan_copy(source=plan_2018_2023, **NEXT)

    pairs = {
        (i.carried_over_from.result.number, i.carried_over_from.order, i.result.number, i.order)
        for i in Indicator.objects.of_plan(copy).select_related("carried_over_from__result")
    }
    assert len(pairs) == 19
    assert all(a == c and b == d for a, b, c, d in pairs)
    assert all(
        i.carried_over_from.plan == plan_2018_2023 and not i.shows_earlier_values
        for i in Indicator.objects.of_plan(copy)
    )


def test_targets_are_copied_only_on_request_period_by_period(plan_2018_2023, recorded):
    copy = plan_copy(source=plan_2018_2023, **NEXT, with_targets=True)

    target = Target.objects.get(period__plan=copy)
    # 2019-2020 is the 2nd period of 2018-2023: its target goes to the 2nd period of the copy.
    assert (target.period.name, target.value, target.indicator.order) == ("2024-2025", 10, 2)
    assert target.indicator.carried_over_from.targets.get().period == recorded


def test_a_copy_needs_a_new_title_and_new_years(plan_2018_2023):
    with pytest.raises(ValidationError) as error:
        plan_copy(source=plan_2018_2023, title=plan_2018_2023.title, start_year=2023, end_year=2028)
    assert "title" in error.value.message_dict
    with pytest.raises(ValidationError):
        plan_copy(source=plan_2018_2023, title="Autre", start_year=2018, end_year=2023)
    assert StrategicPlan.objects.count() == 1
    assert ReportingPeriod.objects.count() == 5


def test_copy_plan_command_names_the_source_by_its_years_or_its_id(plan_2018_2023, capsys):
    call_command(
        "copy_plan",
        "2018-2023",
        "--title",
        NEXT["title"],
        "--start-year",
        "2023",
        "--end-year",
        "2028",
    )
    copy = StrategicPlan.objects.get(title=NEXT["title"])
    assert Indicator.objects.of_plan(copy).count() == 19
    assert "Plan stratégique 2023-2028" in capsys.readouterr().out

    call_command(
        "copy_plan",
        str(copy.pk),
        "--title",
        "Plan 2028-2033",
        "--start-year",
        "2028",
        "--end-year",
        "2033",
    )
    later = StrategicPlan.objects.get(title="Plan 2028-2033")
    assert Indicator.objects.of_plan(later).first().carried_over_from.plan == copy

    with pytest.raises(CommandError, match="1999-2004"):
        call_command(
            "copy_plan", "1999-2004", "--title", "X", "--start-year", "2040", "--end-year", "2045"
        )
    with pytest.raises(CommandError):
        call_command(
            "copy_plan", "2018-2023", "--title", "Y", "--start-year", "2023", "--end-year", "2028"
        )


def test_admin_copies_a_plan_from_the_changelist_action(admin_client, plan_2018_2023):
    response = admin_client.post(
        reverse("admin:plan_strategicplan_changelist"),
        {"action": "copy_plan", "_selected_action": [plan_2018_2023.pk]},
    )
    copy_url = reverse("admin:plan_strategicplan_copy", args=[plan_2018_2023.pk])
    assert response.status_code == 302
    assert response.url == copy_url
    form = admin_client.get(copy_url).context["form"]
    assert (form["start_year"].value(), form["end_year"].value()) == (2023, 2028)

    refused = admin_client.post(copy_url, {**NEXT, "title": plan_2018_2023.title})
    assert refused.status_code == 200
    assert "Un plan porte déjà ce titre." in refused.content.decode()

    response = admin_client.post(copy_url, NEXT)
    copy = StrategicPlan.objects.get(title=NEXT["title"])
    assert response.url == reverse("admin:plan_strategicplan_change", args=[copy.pk])
    assert Indicator.objects.of_plan(copy).count() == 19


def test_staff_cannot_reach_the_copy_page(staff_client, plan_2018_2023):
    url = reverse("admin:plan_strategicplan_copy", args=[plan_2018_2023.pk])
    response = staff_client.post(url, NEXT)
    assert response.status_code == 302
    assert "/login/" in response.url
    assert StrategicPlan.objects.count() == 1
