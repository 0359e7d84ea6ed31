"""Export every value (with breakdowns, comments and who recorded it) as CSV or XLSX.

Layout: one row per measurement; a count by category gives one row per category value,
each repeating the measurement's columns (total in "Valeur"). The import reads this layout.
The files themselves (French conventions, formulas neutralised, streaming) are written by
the one writer, writer.py.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.exports.building import counted
from indicators.models import (
    Measurement,
    MeasurementStatus,
    MeasurementValidation,
)
from indicators.rules.formatting import trim
from indicators.rules.kinds import kind_of
from indicators.spreadsheets import writer as spreadsheets
from plan.models import StrategicPlan

COLUMNS = [
    ("code", _("Indicator code")),
    ("indicator", _("Indicator")),
    ("kind", _("Kind of measure")),
    ("unit", _("Unit")),
    ("period", _("Period")),
    ("status", _("Status")),
    ("value", _("Value (total for a breakdown)")),
    ("level_label", _("Level label")),
    ("dimension", _("Breakdown dimension")),
    ("category", _("Category")),
    ("category_value", _("Category value")),
    ("narrative", _("Narrative")),
    ("explanation", _("Explanation (not measured)")),
    ("comment", _("Comment")),
    ("evidence", _("Evidence")),
    ("recorded_by", _("Recorded by")),
    ("recorded_at", _("Recorded at")),
    ("updated_by", _("Last changed by")),
    ("updated_at", _("Last changed at")),
    ("version", _("Version")),
    ("reason", _("Reason for the change")),
    # The plan's validation step (issue 23); never read back by the import.
    ("validation", _("Validation")),
]
# Wider columns for long texts in the XLSX file.
WIDTHS = {"indicator": 50, "narrative": 40, "explanation": 40, "comment": 40, "reason": 40}


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def _validation_text(measurement):
    """« à valider », « retournée », « validée par Sophie Lavoie »; "" without the step."""
    if measurement.validation_state == MeasurementValidation.NOT_REQUIRED:
        return ""
    label = str(measurement.get_validation_state_display())
    if measurement.validation_state == MeasurementValidation.VALIDATED:
        return _("%(state)s by %(person)s") % {
            "state": label,
            "person": _person(measurement.validated_by),
        }
    return label


def export_rows(measurements):
    """Dicts keyed like COLUMNS, in plan order; values are str, Decimal, int or datetime."""
    measurements = (
        measurements.select_related(
            "indicator__result",
            "indicator__dimension",
            "period",
            "recorded_by",
            "updated_by",
            "validated_by",
        )
        .prefetch_related("breakdowns__category", "evidence", "indicator__levels")
        .order_by("indicator__result__number", "indicator__order", "period__start_date")
    )
    # In chunks (each with its prefetches): a worker never holds every value at once.
    for measurement in measurements.iterator(chunk_size=500):
        indicator = measurement.indicator
        kind = kind_of(indicator)
        base = {
            "code": indicator.code,
            "indicator": indicator.wording,
            "kind": str(kind.label),
            "unit": indicator.unit,
            "period": measurement.period.name,
            "status": str(MeasurementStatus(measurement.status).label),
            "value": trim(measurement.value),
            "level_label": "",
            "dimension": indicator.dimension.name if indicator.dimension else "",
            "category": "",
            "category_value": None,
            "narrative": measurement.narrative,
            "explanation": measurement.explanation,
            "comment": measurement.comment,
            "evidence": " | ".join(
                item.original_name or item.url for item in measurement.evidence.all()
            ),
            "recorded_by": _person(measurement.recorded_by),
            "recorded_at": timezone.localtime(measurement.recorded_at).replace(tzinfo=None),
            "updated_by": _person(measurement.updated_by),
            "updated_at": timezone.localtime(measurement.updated_at).replace(tzinfo=None),
            "version": measurement.version,
            "reason": "",
            "validation": _validation_text(measurement),
        }
        # The kind's own cells: the value, a level's label, one row per category…
        for cells in kind.export_cells(indicator, measurement):
            yield {**base, **cells}


def _columns():
    return [spreadsheets.Column(key, label, WIDTHS.get(key, 14)) for key, label in COLUMNS]


def _file_name(extension, plan=None):
    """The file names the plan it holds: valeurs-indicateurs-2018-2023-<date>."""
    years = f"{plan.years}-" if plan is not None else ""
    return f"valeurs-indicateurs-{years}{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(measurements, plan=None):
    return spreadsheets.csv_response(
        filename=_file_name("csv", plan), columns=_columns(), rows=export_rows(measurements)
    )


def xlsx_response(measurements, plan=None):
    sheet = spreadsheets.Sheet(_("Values"), _columns(), export_rows(measurements))
    return spreadsheets.xlsx_response(filename=_file_name("xlsx", plan), sheets=[sheet])


# --- Prepared by the task worker (indicators/exports) -------------------------------------


def row_count(measurements):
    """The number of rows the export writes: one per measurement, or one per category value
    of a measurement broken down (only counts by category have breakdowns).

    One COUNT over the measurements LEFT JOINed to their breakdowns, which has exactly those
    rows: the request that decides between writing at once and the worker stays cheap (0.14 s
    at 2 000 indicators × 20 periods, 7x less than three counts: bench/tasks.py)."""
    return measurements.order_by().values("breakdowns").count()


def _prepared_rows(params, progress):
    plan = StrategicPlan.objects.get(pk=params["plan"])
    measurements = Measurement.objects.of_plan(plan)
    return plan, counted(export_rows(measurements), progress, row_count(measurements))


def build_csv(*, params, target, progress):
    """The CSV export of `params["plan"]`, written to `target` (registry of exports)."""
    plan, rows = _prepared_rows(params, progress)
    for chunk in spreadsheets.csv_lines(_columns(), rows):
        target.write(chunk.encode("utf-8"))
    return _file_name("csv", plan)


def build_xlsx(*, params, target, progress):
    """The XLSX export of `params["plan"]`, written to `target` (registry of exports)."""
    plan, rows = _prepared_rows(params, progress)
    spreadsheets.xlsx_write([spreadsheets.Sheet(_("Values"), _columns(), rows)], target)
    return _file_name("xlsx", plan)
