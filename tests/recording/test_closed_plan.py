"""A finished plan can be closed: read-only, through the single write guard."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from indicators.models import Measurement, StrategyState
from indicators.recording.services import measurement_record, strategy_progress_record
from indicators.rules.periods import period_problem
from plan.models import StrategicPlan, Strategy
from plan.services import plan_set_closed

CLOSED = "Le plan « Plan stratégique 2018-2023 » est fermé : ses valeurs ne peuvent plus être"


def test_a_closed_plan_refuses_every_value_in_every_period(
    plan_2018_2023, staff_user, tools_indicator, categories
):
    plan_set_closed(plan=plan_2018_2023, closed=True)

    for period in plan_2018_2023.periods.all():
        assert CLOSED in period_problem(plan_id=plan_2018_2023.pk, period=period)
        with pytest.raises(ValidationError) as error:
            measurement_record(
                indicator=tools_indicator,
                period=period,
                user=staff_user,
                breakdown={categories[0].pk: 1},
                version=0,
            )
        assert CLOSED in error.value.message_dict["period"][0]
    assert not Measurement.objects.exists()


def test_a_closed_plan_refuses_strategy_states_too(plan_2018_2023, staff_user, period):
    plan_set_closed(plan=plan_2018_2023, closed=True)
    strategy = Strategy.objects.filter(orientation__plan=plan_2018_2023).first()
    with pytest.raises(ValidationError) as error:
        strategy_progress_record(
            strategy=strategy, period=period, state=StrategyState.DONE, note="", user=staff_user
        )
    assert CLOSED in error.value.message_dict["period"][0]


def test_a_reopened_plan_takes_values_again(plan_2018_2023, staff_user, tools_indicator, period):
    plan_set_closed(plan=plan_2018_2023, closed=True)
    plan_set_closed(plan=plan_2018_2023, closed=False)

    assert period_problem(plan_id=plan_2018_2023.pk, period=period) is None


def test_staff_see_why_the_form_refuses_a_closed_plan(
    staff_client, plan_2018_2023, tools_indicator, period, categories
):
    plan_set_closed(plan=plan_2018_2023, closed=True)

    response = staff_client.post(
        tools_indicator.get_absolute_url(),
        {"period": period.pk, "status": "recorded", "version": 0, f"cat_{categories[0].pk}": "2"},
    )

    assert response.status_code == 200
    assert CLOSED in response.content.decode()
    assert not Measurement.objects.exists()


def test_admin_closes_and_reopens_plans_from_the_changelist(admin_client, plan_2018_2023):
    url = reverse("admin:plan_strategicplan_changelist")

    response = admin_client.post(
        url, {"action": "close_plans", "_selected_action": [plan_2018_2023.pk]}, follow=True
    )
    plan_2018_2023.refresh_from_db()
    assert plan_2018_2023.is_closed
    assert "1 plan a été fermé." in response.content.decode()

    admin_client.post(url, {"action": "reopen_plans", "_selected_action": [plan_2018_2023.pk]})
    plan_2018_2023.refresh_from_db()
    assert not plan_2018_2023.is_closed


def test_two_plans_cannot_cover_the_same_years(plan_2018_2023):
    twin = StrategicPlan(title="Autre plan", organisation="TIESS", start_year=2018, end_year=2023)
    with pytest.raises(ValidationError, match="Un autre plan couvre déjà ces années."):
        twin.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_demo_data_never_takes_the_years_of_a_real_plan(db):
    from django.core.management import CommandError, call_command
    from django.utils import timezone

    year = timezone.localdate().year
    before = StrategicPlan.objects.count()
    StrategicPlan.objects.create(
        title="Plan réel", organisation="TIESS", start_year=year - 3, end_year=year
    )
    with pytest.raises(CommandError, match="Un plan couvre déjà"):
        call_command("generate_demo_data", "--indicators", "1", "--periods", "3")
    assert StrategicPlan.objects.count() == before + 1
