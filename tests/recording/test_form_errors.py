"""Service errors on forms (recording/errors.py) and what a form keeps after a conflict
(recording/conflicts.py): the person's entry stays, the version moves to the saved one."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from indicators.models import StrategyProgress, StrategyState
from indicators.recording.conflicts import keep_typed_measurement, keep_typed_strategy
from indicators.recording.errors import add_service_errors
from indicators.recording.forms import MeasurementForm, StrategyProgressForm
from indicators.recording.services import measurement_record
from tests import factories


def bound(indicator, period, measurement=None, prefix=None, **typed):
    data = {"period": period.pk, "version": 0, "status": "recorded", **typed}
    if prefix:
        data = {f"{prefix}-{name}": value for name, value in data.items()}
    return MeasurementForm(
        data, indicator=indicator, measurement=measurement, period=period, prefix=prefix
    )


# --- Service errors onto a form ---------------------------------------------------------------


def test_a_value_error_goes_to_the_level_field_of_a_level_form(level_indicator, period):
    form = bound(level_indicator, period, level="")
    assert not form.is_valid()
    assert form.errors["level"] == ["Choisissez un niveau."]
    form = bound(level_indicator, period, level="3")
    assert form.is_valid()
    add_service_errors(form, ValidationError({"value": "Autre problème."}))
    assert form.errors == {"level": ["Autre problème."]}


def test_a_category_error_goes_to_its_input_without_repeating_the_name(
    tools_indicator, categories, period
):
    a = categories[0]
    form = bound(tools_indicator, period, **{f"cat_{a.pk}": "-1"})
    assert not form.is_valid()
    assert form.errors[f"cat_{a.pk}"] == ["Un nombre ne peut pas être négatif."]
    assert "__all__" not in form.errors


def test_a_key_the_form_has_no_field_for_becomes_an_error_of_the_whole_form(
    count_indicator, period
):
    form = bound(count_indicator, period, value="1")
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError(
            {"breakdown": ValidationError("%(category)s", params={"category": "Ailleurs"})}
        ),
    )
    assert form.non_field_errors() == ["Ailleurs"]


def test_a_field_that_could_not_be_read_keeps_its_own_error(count_indicator, period):
    form = bound(count_indicator, period, value="douze")
    assert not form.is_valid()
    # The service saw no value ("Enter a value"): not shown over "Enter a number".
    assert form.errors["value"] == [
        "Saisissez un nombre (des chiffres seulement, par exemple 12 ou 12,5)."
    ]


def test_the_strategy_form_shows_the_guards_period_error_on_its_period(strategy, period):
    form = StrategyProgressForm(
        {"period": period.pk, "state": StrategyState.DONE, "note": ""},
        plan=period.plan,
        strategy=strategy,
        states={},
    )
    assert form.is_valid()
    add_service_errors(form, ValidationError({"period": "La période est verrouillée."}))
    assert form.errors["period"] == ["La période est verrouillée."]


# --- Keeping what was typed after a conflict ---------------------------------------------------


def test_a_form_started_before_someone_elses_save_keeps_the_entry_and_moves_its_version(
    count_indicator, period, other_staff
):
    other = measurement_record(
        indicator=count_indicator, period=period, user=other_staff, value=Decimal(5), version=0
    )
    # The page read the saved value while this person's form said "nothing yet" (version 0).
    form = bound(count_indicator, period, measurement=other, value="8", comment="Mon compte")
    assert not form.is_valid()
    assert "Luc Bouchard a modifié cette valeur" in form.non_field_errors()[0]
    assert (form["value"].value(), form["comment"].value()) == ("8", "Mon compte")
    assert form["version"].value() == 1
    # A deliberate second save (now from version 1) only needs its reason.
    again = bound(count_indicator, period, measurement=other, value="8", version=1)
    assert list(again.errors) == ["reason"]


def test_keeping_what_was_typed_moves_the_version_of_a_prefixed_row(
    count_indicator, period, staff_user
):
    current = factories.measurement(count_indicator, period, staff_user, 5)
    form = bound(count_indicator, period, prefix="i7", value="9")
    keep_typed_measurement(form, current)
    assert form.data["i7-version"] == current.version
    assert form.data["i7-value"] == "9"
    keep_typed_measurement(form, None)
    assert form.data["i7-version"] == 0
    assert "Rechargez la page" in form.non_field_errors()[-1]


def test_a_strategy_form_keeps_its_note_and_sees_the_states_saved_now(
    strategy, period, other_staff
):
    form = StrategyProgressForm(
        {"period": period.pk, "state": StrategyState.DONE, "note": "Ma note", "seen": ""},
        plan=period.plan,
        strategy=strategy,
        states={},
    )
    current = factories.strategy_progress(
        strategy, period, other_staff, state=StrategyState.ABANDONED
    )
    keep_typed_strategy(form, current, {period.pk: StrategyProgress.objects.get()})
    assert form.data["note"] == "Ma note"
    assert form.data["seen"] == f"{period.pk}:{current.version}"
    assert "« abandonnée »" in form.non_field_errors()[0]
