"""One write guard for every route: lock, version and conflict on values, states and imports."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from indicators.models import (
    Measurement,
    ReportingPeriod,
    StrategyProgress,
    StrategyState,
)
from indicators.recording.guard import WriteConflict, period_set_locked
from indicators.recording.services import measurement_record, strategy_progress_record
from indicators.spreadsheets import values_import as imports
from plan.models import StrategicPlan
from plan.services import plan_set_closed


def state_url(strategy):
    return reverse("indicators:strategyprogress_new", args=[strategy.pk])


# --- Locked periods --------------------------------------------------------------------------


def test_a_strategy_state_cannot_be_recorded_into_a_locked_period(strategy, period, staff_user):
    period_set_locked(period=period, locked=True)
    with pytest.raises(ValidationError) as refused:
        strategy_progress_record(
            strategy=strategy, period=period, state=StrategyState.DONE, note="", user=staff_user
        )
    assert "verrouillée" in refused.value.message_dict["period"][0]
    assert not StrategyProgress.objects.exists()


def test_a_plain_form_post_into_a_locked_period_is_refused(staff_client, strategy, period):
    period_set_locked(period=period, locked=True)
    response = staff_client.post(
        state_url(strategy), {"period": period.pk, "state": StrategyState.DONE, "note": "x"}
    )
    assert response.status_code == 200
    assert "verrouillée" in response.text
    assert not StrategyProgress.objects.exists()


def test_unlocking_opens_the_period_again(strategy, period, staff_user):
    period_set_locked(period=period, locked=True)
    period_set_locked(period=period, locked=False)
    saved = strategy_progress_record(
        strategy=strategy, period=period, state=StrategyState.DONE, note="", user=staff_user
    )
    assert (saved.state, saved.version) == (StrategyState.DONE, 1)


def test_a_value_cannot_be_recorded_into_a_locked_period(count_indicator, period, staff_user):
    period_set_locked(period=period, locked=True)
    with pytest.raises(ValidationError) as refused:
        measurement_record(
            indicator=count_indicator, period=period, user=staff_user, value=Decimal(3), version=0
        )
    assert list(refused.value.message_dict) == ["period"]
    assert not Measurement.objects.exists()


def test_the_admin_cannot_add_or_change_strategy_states(admin_client, strategy, period, admin_user):
    assert admin_client.get(reverse("admin:indicators_strategyprogress_add")).status_code == 403
    state = strategy_progress_record(
        strategy=strategy, period=period, state=StrategyState.DONE, note="", user=admin_user
    )
    change = reverse("admin:indicators_strategyprogress_change", args=[state.pk])
    response = admin_client.post(
        change,
        {
            "strategy": strategy.pk,
            "period": period.pk,
            "state": StrategyState.ABANDONED,
            "note": "antidaté",
            "recorded_by": admin_user.pk,
            "recorded_at_0": "2019-01-01",
            "recorded_at_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    state.refresh_from_db()
    assert (state.state, state.note) == (StrategyState.DONE, "")


def test_the_admin_cannot_delete_recorded_data_of_a_locked_period(
    admin_client, count_indicator, strategy, period, admin_user
):
    value = measurement_record(
        indicator=count_indicator, period=period, user=admin_user, value=Decimal(3), version=0
    )
    state = strategy_progress_record(
        strategy=strategy, period=period, state=StrategyState.DONE, note="", user=admin_user
    )
    period_set_locked(period=period, locked=True)
    for name, obj in (("measurement", value), ("strategyprogress", state)):
        url = reverse(f"admin:indicators_{name}_delete", args=[obj.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Measurement.objects.filter(pk=value.pk).exists()
    assert StrategyProgress.objects.filter(pk=state.pk).exists()
    period_set_locked(period=period, locked=False)
    url = reverse("admin:indicators_measurement_delete", args=[value.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Measurement.objects.filter(pk=value.pk).exists()


def test_an_import_into_a_locked_period_writes_nothing(
    plan_2018_2023, count_indicator, period, staff_user
):
    period_set_locked(period=period, locked=True)
    rows = [{"_line": 2, "code": "1.1", "period": period.name, "value": "7", "status": ""}]
    result = imports.measurements_import(
        rows=rows, plan=plan_2018_2023, user=staff_user, dry_run=False
    )
    assert not result.is_valid
    assert "verrouillée" in " ".join(result.rows[0].errors)
    assert not Measurement.objects.exists()


# --- Versions and conflicts -------------------------------------------------------------------


def test_a_stale_strategy_state_is_refused_with_the_saved_one(
    strategy, period, staff_user, other_staff
):
    first = strategy_progress_record(
        strategy=strategy,
        period=period,
        state=StrategyState.IN_PROGRESS,
        note="",
        user=other_staff,
        version=0,
    )
    with pytest.raises(WriteConflict) as conflict:
        strategy_progress_record(
            strategy=strategy,
            period=period,
            state=StrategyState.DONE,
            note="",
            user=staff_user,
            version=0,
        )
    assert conflict.value.current == first
    again = strategy_progress_record(
        strategy=strategy,
        period=period,
        state=StrategyState.DONE,
        note="",
        user=staff_user,
        version=1,
    )
    assert (again.state, again.version, again.history.count()) == (StrategyState.DONE, 2, 2)


def test_the_strategy_form_shows_the_other_persons_state_instead_of_overwriting_it(
    staff_client, other_staff, strategy, period
):
    seen = staff_client.get(state_url(strategy)).context["form"]["seen"].value()
    strategy_progress_record(
        strategy=strategy,
        period=period,
        state=StrategyState.ABANDONED,
        note="",
        user=other_staff,
        version=0,
    )
    response = staff_client.post(
        state_url(strategy),
        {"period": period.pk, "state": StrategyState.DONE, "note": "", "seen": seen},
    )
    assert response.status_code == 200
    assert "Luc Bouchard a enregistré l’état de cette stratégie" in response.text
    assert "« abandonnée »" in response.text
    assert StrategyProgress.objects.get().state == StrategyState.ABANDONED


def test_an_import_confirmation_refuses_a_value_corrected_after_the_preview(
    plan_2018_2023, count_indicator, period, staff_user, other_staff
):
    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(5), version=0
    )
    rows = [
        {
            "_line": 2,
            "code": "1.1",
            "period": period.name,
            "value": "7",
            "status": "",
            "reason": "Import",
        }
    ]
    preview = imports.measurements_import(
        rows=rows, plan=plan_2018_2023, user=staff_user, dry_run=True
    )
    assert preview.is_valid
    assert preview.versions == {f"{count_indicator.pk}:{period.pk}": 1}
    measurement_record(
        indicator=count_indicator,
        period=period,
        user=other_staff,
        value=Decimal(6),
        reason="Corrigé",
        version=1,
    )
    confirmed = imports.measurements_import(
        rows=rows, plan=plan_2018_2023, user=staff_user, dry_run=False, versions=preview.versions
    )
    assert not confirmed.is_valid
    assert "Luc Bouchard a modifié cette valeur après l’aperçu" in confirmed.rows[0].errors[0]
    assert Measurement.objects.get().value == Decimal(6)


def test_parallel_first_saves_of_a_strategy_state_keep_one_and_refuse_the_other(
    transactional_db, plan_2018_2023, strategy, period, staff_user, other_staff
):
    """Two people save the first state of the same strategy and period at the same moment."""
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, state):
        barrier.wait()
        try:
            strategy_progress_record(
                strategy=strategy, period=period, state=state, note="", user=user, version=0
            )
            outcomes[user.username] = "saved"
        except WriteConflict:
            outcomes[user.username] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(staff_user, StrategyState.DONE)),
        threading.Thread(target=save, args=(other_staff, StrategyState.ABANDONED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    saved = StrategyProgress.objects.get()
    winner = next(name for name, outcome in outcomes.items() if outcome == "saved")
    assert (saved.recorded_by.username, saved.version) == (winner, 1)


def test_an_administrators_lock_waits_for_a_save_in_progress_in_that_period(
    transactional_db, plan_2018_2023, count_indicator, period, staff_user
):
    """The lock never lands in the middle of a save: the save holds the period's row."""

    saving, release = threading.Event(), threading.Event()
    finished = []

    def save():
        try:
            with transaction.atomic():
                measurement_record(
                    indicator=count_indicator,
                    period=period,
                    user=staff_user,
                    value=Decimal(4),
                    version=0,
                )
                saving.set()
                release.wait(timeout=10)
            finished.append("save")
        finally:
            connection.close()

    def lock():
        try:
            saving.wait(timeout=10)
            period_set_locked(period=ReportingPeriod.objects.get(pk=period.pk), locked=True)
            finished.append("lock")
        finally:
            connection.close()

    threads = [threading.Thread(target=save), threading.Thread(target=lock)]
    for thread in threads:
        thread.start()
    saving.wait(timeout=10)
    # Give the lock every chance to jump ahead of the save; it must wait instead.
    threading.Event().wait(0.5)
    release.set()
    for thread in threads:
        thread.join()
    assert finished == ["save", "lock"]
    assert Measurement.objects.get().value == Decimal(4)
    period.refresh_from_db()
    assert period.is_locked


# --- Closing a plan --------------------------------------------------------------------------


def _in_turn(first, second):
    """Run `first` in a transaction kept open for half a second, and `second` beside it once
    `first` has done its work. Return the order: "first" is noted just before its commit."""
    holding, release = threading.Event(), threading.Event()
    finished = []

    def run_first():
        try:
            with transaction.atomic():
                first()
                holding.set()
                release.wait(timeout=10)
                finished.append("first")
        finally:
            connection.close()

    def run_second():
        try:
            holding.wait(timeout=10)
            second()
            finished.append("second")
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    holding.wait(timeout=10)
    # Give the second every chance to jump ahead of the first; it must wait instead.
    threading.Event().wait(0.5)
    release.set()
    for thread in threads:
        thread.join()
    return finished


def test_closing_a_plan_waits_for_a_value_being_saved_into_it(
    transactional_db, plan_2018_2023, count_indicator, period, staff_user
):
    """The plan never closes in the middle of a save: the save holds the plan's row."""

    def save():
        measurement_record(
            indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
        )

    def close():
        plan_set_closed(plan=StrategicPlan.objects.get(pk=plan_2018_2023.pk), closed=True)

    assert _in_turn(save, close) == ["first", "second"]
    assert Measurement.objects.get().value == Decimal(4)
    assert StrategicPlan.objects.get(pk=plan_2018_2023.pk).is_closed


def test_a_value_saved_while_its_plan_closes_waits_and_is_refused(
    transactional_db, plan_2018_2023, count_indicator, period, staff_user
):
    """A save that starts while the plan is being closed sees it closed, not the old state."""
    refused = []

    def close():
        plan_set_closed(plan=StrategicPlan.objects.get(pk=plan_2018_2023.pk), closed=True)

    def save():
        try:
            measurement_record(
                indicator=count_indicator,
                period=period,
                user=staff_user,
                value=Decimal(4),
                version=0,
            )
        except ValidationError as error:
            refused.extend(error.message_dict["period"])

    assert _in_turn(close, save) == ["first", "second"]
    assert len(refused) == 1
    assert "est fermé" in refused[0]
    assert not Measurement.objects.exists()
