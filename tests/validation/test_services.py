"""The validation step's states and transitions, at their boundaries (services.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from indicators.models import Measurement, MeasurementValidation
from indicators.recording.guard import WriteConflict, period_set_locked
from indicators.recording.services import measurement_record
from indicators.validation.services import (
    measurement_return,
    measurement_validate,
    measurements_validate,
)

PENDING = MeasurementValidation.PENDING
VALIDATED = MeasurementValidation.VALIDATED
RETURNED = MeasurementValidation.RETURNED


def record(indicator, period, user, value, **fields):
    existing = Measurement.objects.filter(indicator=indicator, period=period).first()
    return measurement_record(
        indicator=indicator,
        period=period,
        user=user,
        value=Decimal(value),
        version=existing.version if existing else 0,
        reason="correction" if existing else "",
        **fields,
    )


def reasons(measurement):
    return [h.history_change_reason for h in measurement.history.order_by("history_date")]


# --- Off: today's behaviour ------------------------------------------------------------------


def test_validation_off_records_values_with_no_step(count_indicator, period, staff_user):
    saved = record(count_indicator, period, staff_user, 4)
    assert (saved.validation_state, saved.validated_by, saved.version) == (
        MeasurementValidation.NOT_REQUIRED,
        None,
        1,
    )
    assert not saved.is_unvalidated


def test_validation_off_a_value_cannot_be_validated(
    count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    with pytest.raises(ValidationError) as refused:
        measurement_validate(measurement=saved, user=coordinator, version=1)
    assert refused.value.error_dict["validation"][0].code == "not_pending"


# --- On: recorded, validated, returned, corrected --------------------------------------------


def test_a_value_recorded_when_validation_is_on_awaits_validation(
    validation_on, count_indicator, period, staff_user
):
    saved = record(count_indicator, period, staff_user, 4)
    assert saved.validation_state == PENDING
    assert saved.is_unvalidated
    assert list(Measurement.objects.awaiting_validation()) == [saved]


def test_a_coordinator_validates_a_value_and_the_history_says_who(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    validated = measurement_validate(measurement=saved, user=coordinator, version=1)
    validated.refresh_from_db()
    assert (validated.validation_state, validated.validated_by, validated.version) == (
        VALIDATED,
        coordinator,
        2,
    )
    assert validated.validated_at is not None
    assert validated.value == Decimal(4)
    assert reasons(validated) == [None, "validée"]
    assert validated.history.first().history_user == coordinator
    assert not Measurement.objects.unvalidated().exists()


def test_nobody_validates_their_own_value_by_default(
    validation_on, count_indicator, period, recording_coordinator
):
    saved = record(count_indicator, period, recording_coordinator, 4)
    with pytest.raises(ValidationError) as refused:
        measurement_validate(measurement=saved, user=recording_coordinator, version=1)
    assert refused.value.error_dict["validation"][0].code == "own_value"
    saved.refresh_from_db()
    assert (saved.validation_state, saved.version) == (PENDING, 1)


def test_the_plans_setting_allows_self_validation_and_the_history_says_so(
    validation_on, count_indicator, period, recording_coordinator
):
    validation_on.self_validation_allowed = True
    validation_on.save()
    saved = record(count_indicator, period, recording_coordinator, 4)
    validated = measurement_validate(measurement=saved, user=recording_coordinator, version=1)
    assert validated.validation_state == VALIDATED
    assert reasons(validated)[-1] == "auto-validée"


def test_the_one_who_corrected_a_value_is_its_author(
    validation_on, count_indicator, period, staff_user, recording_coordinator, coordinator
):
    """Validating is refused to whoever made the current version, not to the first author."""
    record(count_indicator, period, staff_user, 4)
    corrected = record(count_indicator, period, recording_coordinator, 5)
    with pytest.raises(ValidationError):
        measurement_validate(measurement=corrected, user=recording_coordinator, version=2)
    assert measurement_validate(measurement=corrected, user=coordinator, version=2).version == 3


def test_correcting_a_validated_value_makes_it_await_validation_again(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    measurement_validate(measurement=saved, user=coordinator, version=1)
    corrected = record(count_indicator, period, staff_user, 6)
    corrected.refresh_from_db()
    assert (corrected.validation_state, corrected.validated_by, corrected.version) == (
        PENDING,
        None,
        3,
    )
    # The history keeps who validated the earlier version.
    states = [
        (h.validation_state, h.validated_by_id) for h in corrected.history.order_by("history_date")
    ]
    assert states == [(PENDING, None), (VALIDATED, coordinator.pk), (PENDING, None)]


def test_a_coordinator_returns_a_value_with_a_comment(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    returned = measurement_return(
        measurement=saved, user=coordinator, version=1, comment="  Source ?  "
    )
    returned.refresh_from_db()
    assert (returned.validation_state, returned.return_comment, returned.validated_by) == (
        RETURNED,
        "Source ?",
        coordinator,
    )
    assert returned.is_unvalidated
    assert reasons(returned)[-1] == "retournée"
    assert not Measurement.objects.awaiting_validation().exists()


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_return_needs_a_comment(
    validation_on, count_indicator, period, staff_user, coordinator, comment
):
    saved = record(count_indicator, period, staff_user, 4)
    with pytest.raises(ValidationError) as refused:
        measurement_return(measurement=saved, user=coordinator, version=1, comment=comment)
    assert list(refused.value.message_dict) == ["return_comment"]
    saved.refresh_from_db()
    assert saved.validation_state == PENDING


def test_a_return_comment_has_a_length_limit(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    limit = Measurement._meta.get_field("return_comment").max_length
    with pytest.raises(ValidationError):
        measurement_return(
            measurement=saved, user=coordinator, version=1, comment="x" * (limit + 1)
        )
    returned = measurement_return(
        measurement=saved, user=coordinator, version=1, comment="x" * limit
    )
    assert len(returned.return_comment) == limit


def test_correcting_a_returned_value_makes_it_await_validation_again(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    measurement_return(measurement=saved, user=coordinator, version=1, comment="Source ?")
    corrected = record(count_indicator, period, staff_user, 5)
    assert (corrected.validation_state, corrected.return_comment) == (PENDING, "")
    returned = corrected.history.filter(validation_state=RETURNED).get()
    assert returned.return_comment == "Source ?"


def test_a_returned_or_validated_value_is_not_validated_or_returned_again(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    measurement_return(measurement=saved, user=coordinator, version=1, comment="Source ?")
    with pytest.raises(ValidationError):
        measurement_validate(measurement=saved, user=coordinator, version=2)
    record(count_indicator, period, staff_user, 5)
    measurement_validate(measurement=saved, user=coordinator, version=3)
    with pytest.raises(ValidationError):
        measurement_return(measurement=saved, user=coordinator, version=4, comment="Non")


def test_a_stale_version_is_a_conflict_with_the_current_value(
    validation_on, count_indicator, period, staff_user, coordinator, other_coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    measurement_validate(measurement=saved, user=coordinator, version=1)
    with pytest.raises(WriteConflict) as conflict:
        measurement_validate(measurement=saved, user=other_coordinator, version=1)
    assert conflict.value.current.validated_by == coordinator
    with pytest.raises(WriteConflict):
        measurement_return(measurement=saved, user=other_coordinator, version=1, comment="x")


def test_only_people_with_the_permission_validate_or_return(
    validation_on, count_indicator, period, staff_user, other_staff
):
    saved = record(count_indicator, period, staff_user, 4)
    with pytest.raises(PermissionDenied):
        measurement_validate(measurement=saved, user=other_staff, version=1)
    with pytest.raises(PermissionDenied):
        measurement_return(measurement=saved, user=other_staff, version=1, comment="x")
    with pytest.raises(PermissionDenied):
        measurements_validate(period=period, user=other_staff, versions={saved.pk: 1})


def test_a_value_of_a_locked_period_is_not_validated(
    validation_on, count_indicator, period, staff_user, coordinator
):
    saved = record(count_indicator, period, staff_user, 4)
    period_set_locked(period=period, locked=True)
    with pytest.raises(ValidationError) as refused:
        measurement_validate(measurement=saved, user=coordinator, version=1)
    assert list(refused.value.message_dict) == ["period"]


# --- Locking with the plan's setting ---------------------------------------------------------


def test_a_period_with_values_to_validate_is_locked_when_the_plan_does_not_require_it(
    validation_on, count_indicator, period, staff_user
):
    record(count_indicator, period, staff_user, 4)
    assert period_set_locked(period=period, locked=True).is_locked


@pytest.mark.parametrize("returned", [False, True])
def test_locking_is_refused_while_values_are_not_validated_when_the_plan_requires_it(
    validation_on, count_indicator, period, staff_user, coordinator, returned
):
    validation_on.lock_requires_validation = True
    validation_on.save()
    saved = record(count_indicator, period, staff_user, 4)
    if returned:
        measurement_return(measurement=saved, user=coordinator, version=1, comment="Source ?")
    with pytest.raises(ValidationError) as refused:
        period_set_locked(period=period, locked=True)
    assert (
        "1 valeur de cette période n’est pas encore validée"
        in refused.value.message_dict["period"][0]
    )
    period.refresh_from_db()
    assert not period.is_locked


def test_locking_with_the_setting_succeeds_once_every_value_is_validated(
    validation_on, count_indicator, percentage_indicator, period, staff_user, coordinator
):
    validation_on.lock_requires_validation = True
    validation_on.save()
    first = record(count_indicator, period, staff_user, 4)
    second = record(percentage_indicator, period, staff_user, 40)
    outcome = measurements_validate(
        period=period, user=coordinator, versions={first.pk: 1, second.pk: 1}
    )
    assert len(outcome.validated) == 2
    assert period_set_locked(period=period, locked=True).is_locked
    # Unlocking is never refused.
    assert not period_set_locked(period=period, locked=False).is_locked


# --- In bulk ---------------------------------------------------------------------------------


def test_bulk_validation_validates_what_it_can_and_says_why_not_the_others(
    validation_on,
    count_indicator,
    percentage_indicator,
    amount_indicator,
    period,
    staff_user,
    recording_coordinator,
):
    plain = record(count_indicator, period, staff_user, 4)
    own = record(percentage_indicator, period, recording_coordinator, 40)
    stale = record(amount_indicator, period, staff_user, 100)
    record(amount_indicator, period, staff_user, 120)
    outcome = measurements_validate(
        period=period,
        user=recording_coordinator,
        versions={plain.pk: 1, own.pk: 1, stale.pk: 1},
    )
    assert [m.pk for m in outcome.validated] == [plain.pk]
    refused = {pk: text for pk, text, _current in outcome.refused}
    assert set(refused) == {own.pk, stale.pk}
    assert "propre valeur" in refused[own.pk]
    assert "à valider" in refused[stale.pk]
    states = dict(Measurement.objects.values_list("pk", "validation_state"))
    assert states == {plain.pk: VALIDATED, own.pk: PENDING, stale.pk: PENDING}


def test_bulk_validation_ignores_values_of_another_period(
    validation_on, count_indicator, period, staff_user, coordinator
):
    from tests import codes

    other = record(count_indicator, codes.period("2018-2019"), staff_user, 4)
    outcome = measurements_validate(period=period, user=coordinator, versions={other.pk: 1})
    assert not outcome.validated
    assert len(outcome.refused) == 1
    other.refresh_from_db()
    assert other.validation_state == PENDING


# --- The database keeps the states consistent ------------------------------------------------


def test_the_database_refuses_an_unknown_state(count_indicator, period, staff_user):
    saved = record(count_indicator, period, staff_user, 4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=saved.pk).update(validation_state="approved")


def test_a_returned_value_without_comment_or_person_is_refused_both_ways(
    count_indicator, period, staff_user
):
    saved = record(count_indicator, period, staff_user, 4)
    saved.validation_state = RETURNED
    with pytest.raises(ValidationError):
        saved.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=saved.pk).update(
            validation_state=RETURNED, validated_by=staff_user, validated_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.filter(pk=saved.pk).update(validation_state=VALIDATED)
