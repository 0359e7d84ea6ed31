"""The board report as an XLSX workbook (openpyxl), with French headers and number formats."""

from io import BytesIO

from django.utils import formats
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

NUMBER_FORMAT = "# ##0.##"
PERCENT_FORMAT = "0.0"


def _autosize(sheet, widths):
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _header(sheet, row, headers):
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def board_workbook(board, *, produced_at):
    """Bytes of an .xlsx file: one sheet of indicators, one of strategies."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Indicators")[:31]
    sheet["A1"] = board.plan.title
    sheet["A1"].font = Font(bold=True, size=14)
    period = board.period.name if board.period else gettext("no period")
    sheet["A2"] = gettext("Period: %(period)s") % {"period": period}
    sheet["A3"] = gettext("Produced on %(date)s") % {
        "date": formats.date_format(produced_at, "DATETIME_FORMAT")
    }
    headers = [
        gettext("Orientation"),
        gettext("Result"),
        gettext("Indicator"),
        gettext("Unit"),
        gettext("Period of the value"),
        gettext("Value"),
        gettext("Target"),
        gettext("Progress (%)"),
        gettext("Status"),
        gettext("Narrative or explanation"),
        gettext("Value · target"),
        gettext("Direction"),
        gettext("Baseline"),
    ]
    _header(sheet, 5, headers)
    row = 6
    for orientation in board.orientations:
        for result in orientation.results:
            for item in result.indicators:
                assessment = item.assessment
                values = [
                    str(orientation.orientation),
                    str(result.result),
                    item.indicator.wording,
                    item.indicator.unit,
                    assessment.period.name if assessment.period else "",
                    assessment.value,
                    assessment.target,
                    # A level is on an ordinal scale: never a percentage.
                    round(assessment.percent, 1) if item.progress_text else None,
                    str(assessment.label),
                    item.story,
                    " · ".join(filter(None, [item.value_phrase, item.target_phrase])),
                    f"{item.direction_arrow} {item.direction_words}",
                    item.baseline_text,
                ]
                for column, value in enumerate(values, start=1):
                    cell = sheet.cell(row=row, column=column, value=value)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    if column in (6, 7):
                        cell.number_format = NUMBER_FORMAT
                    elif column == 8:
                        cell.number_format = PERCENT_FORMAT
                row += 1
    sheet.freeze_panes = "A6"
    _autosize(sheet, [16, 12, 60, 14, 14, 12, 12, 14, 16, 60, 40, 20, 24])

    strategies = workbook.create_sheet(gettext("Strategies")[:31])
    _header(
        strategies,
        1,
        [
            gettext("Orientation"),
            gettext("Strategy"),
            gettext("Results served"),
            gettext("State"),
            gettext("Period of the state"),
            gettext("Note"),
        ],
    )
    row = 2
    for orientation in board.orientations:
        for strategy in orientation.strategies:
            latest = strategy.latest
            values = [
                str(orientation.orientation),
                f"{strategy.strategy.orientation.number}.{strategy.strategy.order} "
                f"{strategy.strategy.text}",
                ", ".join(str(r.number) for r in strategy.results),
                str(strategy.state_label),
                latest.period.name if latest else "",
                latest.note if latest else "",
            ]
            for column, value in enumerate(values, start=1):
                cell = strategies.cell(row=row, column=column, value=value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    _autosize(strategies, [16, 60, 14, 16, 14, 50])

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
