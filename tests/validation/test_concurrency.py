"""Two coordinators validate the same value at the same moment: one wins, the other is told.

Runs on SQLite and on PostgreSQL (DATABASE_URL): the write guard locks the plan's and the
period's rows, then the value's, so the second waits and then sees the new version.
"""

import threading
from decimal import Decimal

from django.db import connection

from indicators.models import Measurement, MeasurementValidation
from indicators.recording.guard import WriteConflict
from indicators.recording.services import measurement_record
from indicators.validation.services import (
    measurement_return,
    measurement_validate,
    measurements_validate,
)


def _at_once(*actions):
    """Run each action in its own thread and connection, all released together."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        barrier.wait()
        try:
            outcomes[index] = action()
        except WriteConflict as conflict:
            outcomes[index] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _pending_value(plan, indicator, period, author):
    plan.validation_enabled = True
    plan.save()
    return measurement_record(
        indicator=indicator, period=period, user=author, value=Decimal(4), version=0
    )


def test_two_coordinators_validating_the_same_value_at_once_one_wins_the_other_is_told(
    transactional_db,
    plan_2018_2023,
    count_indicator,
    period,
    staff_user,
    coordinator,
    other_coordinator,
):
    value = _pending_value(plan_2018_2023, count_indicator, period, staff_user)
    outcomes = _at_once(
        lambda: measurement_validate(measurement=value, user=coordinator, version=1),
        lambda: measurement_validate(measurement=value, user=other_coordinator, version=1),
    )
    conflicts = [o for o in outcomes if isinstance(o, WriteConflict)]
    assert len(conflicts) == 1
    saved = Measurement.objects.get()
    assert (saved.validation_state, saved.version) == (MeasurementValidation.VALIDATED, 2)
    # The one told sees who validated it.
    assert conflicts[0].current.validated_by == saved.validated_by
    assert saved.history.count() == 2


def test_a_bulk_validation_and_a_return_at_once_leave_one_outcome(
    transactional_db,
    plan_2018_2023,
    count_indicator,
    period,
    staff_user,
    coordinator,
    other_coordinator,
):
    value = _pending_value(plan_2018_2023, count_indicator, period, staff_user)
    outcomes = _at_once(
        lambda: measurements_validate(period=period, user=coordinator, versions={value.pk: 1}),
        lambda: measurement_return(
            measurement=value, user=other_coordinator, version=1, comment="Source ?"
        ),
    )
    saved = Measurement.objects.get()
    assert saved.version == 2
    bulk, returned = outcomes
    if saved.validation_state == MeasurementValidation.VALIDATED:
        assert isinstance(returned, WriteConflict)
        assert [m.pk for m in bulk.validated] == [value.pk]
    else:
        assert saved.validation_state == MeasurementValidation.RETURNED
        assert not bulk.validated
        assert len(bulk.refused) == 1
