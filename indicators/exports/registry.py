"""Each kind of prepared export: who may have it and which function writes it.

A builder is named by its dotted path (resolved when the worker runs it), so that this low
package never imports the packages above it. A builder is called as
`build(params=…, target=<binary file>, progress=<callable(done, total)>)` and returns the
name the file is downloaded under.
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from indicators.models import PreparedExportKind


@dataclass(frozen=True)
class ExportKind:
    builder: str
    # The permission the page that offers this export requires; checked again at download.
    permission: str
    content_type: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = {
    PreparedExportKind.VALUES_CSV: ExportKind(
        "indicators.spreadsheets.values_export.build_csv",
        "indicators.view_measurement",
        "text/csv; charset=utf-8",
    ),
    PreparedExportKind.VALUES_XLSX: ExportKind(
        "indicators.spreadsheets.values_export.build_xlsx", "indicators.view_measurement", XLSX
    ),
    PreparedExportKind.BOARD_REPORT: ExportKind(
        "indicators.board.reports.build_report", "plan.view_strategicplan", XLSX
    ),
    PreparedExportKind.PLAN_WORKBOOK: ExportKind(
        "indicators.lifecycle.workbook.build_workbook", "plan.view_strategicplan", XLSX
    ),
}


def kind_spec(kind) -> ExportKind:
    return KINDS[PreparedExportKind(kind)]


def builder_of(kind):
    return import_string(kind_spec(kind).builder)
