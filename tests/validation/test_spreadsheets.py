"""The values export carries the validation state; the import records « à valider » values."""

from decimal import Decimal

from indicators.models import Measurement, MeasurementValidation
from indicators.recording.services import measurement_record
from indicators.spreadsheets import values_import as imports
from indicators.spreadsheets.values_export import COLUMNS, export_rows
from indicators.validation.services import measurement_return, measurement_validate


def _states():
    return {row["code"]: row["validation"] for row in export_rows(Measurement.objects.all())}


def test_the_export_has_a_validation_column(
    validation_on, count_indicator, percentage_indicator, period, staff_user, coordinator
):
    assert ("validation", "Validation") in [(key, str(label)) for key, label in COLUMNS]
    first = measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    measurement_record(
        indicator=percentage_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    assert set(_states().values()) == {"à valider"}
    measurement_validate(measurement=first, user=coordinator, version=1)
    assert _states()[count_indicator.code] == "validée par Sophie Lavoie"
    second = Measurement.objects.get(indicator=percentage_indicator)
    measurement_return(measurement=second, user=coordinator, version=1, comment="Source ?")
    assert _states()[percentage_indicator.code] == "retournée"


def test_the_export_column_is_empty_without_the_step(count_indicator, period, staff_user):
    measurement_record(
        indicator=count_indicator, period=period, user=staff_user, value=Decimal(4), version=0
    )
    assert _states() == {count_indicator.code: ""}


def test_an_import_records_values_to_validate_when_the_step_is_on(
    validation_on, count_indicator, period, staff_user
):
    rows = [
        {
            "_line": 2,
            "code": count_indicator.code,
            "period": period.name,
            "value": "7",
            "status": "",
            # A state typed in the file is never taken.
            "validation": "validée",
        }
    ]
    result = imports.measurements_import(
        rows=rows, plan=validation_on, user=staff_user, dry_run=False
    )
    assert result.is_valid
    saved = Measurement.objects.get()
    assert (saved.value, saved.validation_state) == (Decimal(7), MeasurementValidation.PENDING)


def test_an_import_records_values_as_today_when_the_step_is_off(
    plan_2018_2023, count_indicator, period, staff_user
):
    rows = [{"_line": 2, "code": count_indicator.code, "period": period.name, "value": "7"}]
    result = imports.measurements_import(
        rows=rows, plan=plan_2018_2023, user=staff_user, dry_run=False
    )
    assert result.is_valid
    assert Measurement.objects.get().validation_state == MeasurementValidation.NOT_REQUIRED
