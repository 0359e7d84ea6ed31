"""Plausibility: a value far from the previous period's, or above the indicator's plausible
maximum, is saved only once the person confirms it; the confirmation is kept in the history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Measurement
from indicators.recording.selectors import indicator_history
from indicators.recording.services import measurement_record
from tests import codes, factories


@pytest.fixture
def previous_period(plan_2018_2023):
    return codes.period("2018-2019")


@pytest.fixture
def current_period(plan_2018_2023):
    return codes.period("2019-2020")


def record(indicator, period, user, value, **kwargs):
    kwargs.setdefault("version", None)
    return measurement_record(
        indicator=indicator, period=period, user=user, value=Decimal(str(value)), **kwargs
    )


def implausible_error(callable_):
    with pytest.raises(ValidationError) as caught:
        callable_()
    error = caught.value.error_dict["value"][0]
    return error


@pytest.mark.parametrize(
    ("previous", "value", "plausible"),
    [
        (10, 30, True),  # exactly 3×
        (10, "30.01", False),  # just above 3×
        (10, 31, False),
        (30, 10, True),  # exactly 1/3
        (30, "9.99", False),  # just below 1/3
        (10, 0, False),  # a drop to nothing
        (0, 1000, True),  # previous 0: no ratio
    ],
)
def test_value_beyond_factor_of_previous_period_must_be_confirmed(
    amount_indicator, previous_period, current_period, staff_user, previous, value, plausible
):
    factories.measurement(amount_indicator, previous_period, staff_user, previous)

    if plausible:
        record(amount_indicator, current_period, staff_user, value)
        assert Measurement.objects.get(period=current_period).plausibility_confirmation == ""
        return
    error = implausible_error(lambda: record(amount_indicator, current_period, staff_user, value))
    assert error.code == "implausible"
    assert not Measurement.objects.filter(period=current_period).exists()


def test_no_previous_value_means_no_ratio_check(count_indicator, current_period, staff_user):
    record(count_indicator, current_period, staff_user, 999999)

    assert Measurement.objects.get(period=current_period).value == 999999


def test_factor_is_per_indicator(count_indicator, previous_period, current_period, staff_user):
    count_indicator.plausibility_factor = Decimal(10)
    count_indicator.save()
    factories.measurement(count_indicator, previous_period, staff_user, 10)

    record(count_indicator, current_period, staff_user, 100)  # exactly 10×: fine
    with pytest.raises(ValidationError):
        record(count_indicator, current_period, staff_user, 101, reason="Recompté")


def test_plausible_maximum_is_checked_without_previous_value(
    count_indicator, current_period, staff_user
):
    count_indicator.plausible_maximum = Decimal(500)
    count_indicator.save()

    record(count_indicator, current_period, staff_user, 500)  # at the maximum: fine
    error = implausible_error(
        lambda: record(count_indicator, current_period, staff_user, 501, reason="Recompté")
    )
    assert error.code == "implausible"
    assert "maximum" in error.messages[0]
    assert Measurement.objects.get(period=current_period).value == 500


def test_confirmed_value_is_saved_with_the_check_in_its_history(
    count_indicator, previous_period, current_period, staff_user
):
    factories.measurement(count_indicator, previous_period, staff_user, 12)

    record(count_indicator, current_period, staff_user, 120, confirmed=True)

    measurement = Measurement.objects.get(period=current_period)
    assert measurement.value == 120
    assert "120" in measurement.plausibility_confirmation
    assert "12" in measurement.plausibility_confirmation
    history = measurement.history.get()
    assert history.plausibility_confirmation == measurement.plausibility_confirmation
    entry = next(e for e in indicator_history(count_indicator) if e["period"] == current_period)
    assert entry["confirmation"].startswith("Valeur confirmée")


def test_count_by_category_checks_its_total(
    tools_indicator, categories, previous_period, current_period, staff_user
):
    factories.measurement(
        tools_indicator, previous_period, staff_user, breakdown={categories[0]: 4}
    )

    with pytest.raises(ValidationError) as caught:
        measurement_record(
            indicator=tools_indicator,
            period=current_period,
            user=staff_user,
            breakdown={categories[0].pk: Decimal(40)},
        )
    assert caught.value.error_dict["value"][0].code == "implausible"


def test_levels_and_narratives_have_no_ratio_check(
    level_indicator, qualitative_indicator, previous_period, current_period, staff_user
):
    factories.measurement(level_indicator, previous_period, staff_user, 1)

    record(level_indicator, current_period, staff_user, 5)
    measurement_record(
        indicator=qualitative_indicator,
        period=current_period,
        user=staff_user,
        narrative="Les partenaires nous citent.",
    )

    assert Measurement.objects.filter(period=current_period).count() == 2


def test_percentage_keeps_its_range_and_gets_the_ratio_check(
    percentage_indicator, previous_period, current_period, staff_user
):
    factories.measurement(percentage_indicator, previous_period, staff_user, 5)

    with pytest.raises(ValidationError) as caught:
        record(percentage_indicator, current_period, staff_user, 101, confirmed=True)
    assert caught.value.error_dict["value"][0].code != "implausible"
    error = implausible_error(lambda: record(percentage_indicator, current_period, staff_user, 50))
    assert error.code == "implausible"


def test_factor_must_be_above_one(count_indicator):
    count_indicator.plausibility_factor = Decimal(1)
    with pytest.raises(ValidationError):
        count_indicator.full_clean()


def test_not_measured_needs_no_confirmation(
    count_indicator, previous_period, current_period, staff_user
):
    factories.measurement(count_indicator, previous_period, staff_user, 12)

    measurement_record(
        indicator=count_indicator,
        period=current_period,
        user=staff_user,
        status="not_measured",
        explanation="Pas de collecte cette année.",
    )

    assert Measurement.objects.get(period=current_period).is_not_measured
