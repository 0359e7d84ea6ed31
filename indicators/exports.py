"""Export every value (with breakdowns, comments and who recorded it) as CSV or XLSX.

Layout: one row per measurement; a count by category gives one row per category value,
each repeating the measurement's columns (total in "Valeur"). The import reads this layout.
French column headers; CSV with semicolons (Excel in French reads it), UTF-8 with a BOM,
decimal comma. Text cells that a spreadsheet would take for a formula (=, +, -, @, tab,
carriage return) are prefixed with an apostrophe.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.models import MeasureKind, MeasurementStatus

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
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def indicator_code(indicator):
    """A stable code for an indicator across databases: result number.order ("1.2")."""
    return f"{indicator.result.number}.{indicator.order}"


def neutralise(text):
    """Prefix a cell that a spreadsheet would run as a formula."""
    if isinstance(text, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def _plain(number):
    if number is None:
        return None
    number = Decimal(number)
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def export_rows(measurements):
    """Dicts keyed like COLUMNS, in plan order; values are str, Decimal, int or datetime."""
    measurements = (
        measurements.select_related(
            "indicator__result", "indicator__dimension", "period", "recorded_by", "updated_by"
        )
        .prefetch_related("breakdowns__category", "evidence", "indicator__levels")
        .order_by("indicator__result__number", "indicator__order", "period__start_date")
    )
    for measurement in measurements:
        indicator = measurement.indicator
        label = ""
        if indicator.kind == MeasureKind.LEVEL and measurement.value is not None:
            label = next(
                (lv.label for lv in indicator.levels.all() if lv.value == measurement.value), ""
            )
        base = {
            "code": indicator_code(indicator),
            "indicator": indicator.wording,
            "kind": str(indicator.get_kind_display()),
            "unit": indicator.unit,
            "period": measurement.period.name,
            "status": str(MeasurementStatus(measurement.status).label),
            "value": _plain(measurement.value),
            "level_label": label,
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
        }
        breakdowns = list(measurement.breakdowns.all())
        if not breakdowns:
            yield base
        for item in breakdowns:
            yield {**base, "category": item.category.name, "category_value": _plain(item.value)}


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralise(str(value))


def _file_name(extension, plan=None):
    """The file names the plan it holds: valeurs-indicateurs-2018-2023-<date>."""
    years = f"{plan.years}-" if plan is not None else ""
    return f"valeurs-indicateurs-{years}{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(measurements, plan=None):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(label) for _key, label in COLUMNS])
    for row in export_rows(measurements):
        writer.writerow([_csv_cell(row[key]) for key, _label in COLUMNS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv", plan)}"'
    return response


def xlsx_response(measurements, plan=None):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Values"))[:31]
    sheet.append([str(label) for _key, label in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(measurements):
        cells = []
        for key, _label in COLUMNS:
            value = row[key]
            if isinstance(value, str):
                value = neutralise(value)
            cells.append(value)
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
            elif hasattr(cell.value, "strftime"):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("xlsx", plan)}"'
    return response
