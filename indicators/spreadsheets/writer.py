"""The one writer of every file the app produces: CSV (streamed) and XLSX (write-only).

Each file declares its columns once (`Column`) and hands rows as dicts keyed like them. Every
text goes through the one cell codec (`cells.cell_out`, undone by the imports' `cells.cell_in`),
which prefixes an apostrophe to a text a spreadsheet would run as a formula, in CSV and XLSX
alike; XLSX text cells are always typed as strings, their control characters escaped.
Both formats are written row by row, so time is linear and memory stays flat at any size:
the CSV streams, the XLSX is built row by row in openpyxl's write-only mode.

French conventions: CSV with semicolons, UTF-8 with a BOM and a decimal comma (Excel in French
opens it as is); XLSX numbers as numbers, dates as dates. An XLSX column can offer its choices
in a drop-down list (a data validation whose list is on a hidden sheet; no cell holds a formula).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.spreadsheets.cells import cell_out, xlsx_out

CSV_CHUNK_ROWS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
WRAP_WIDTH = 40  # columns at least this wide wrap their text


@dataclass(frozen=True)
class Column:
    """One column of a file: the row key, its header, and for XLSX its width and format."""

    key: str
    header: str
    width: int = 14
    number_format: str | None = None
    # XLSX: labels offered in a drop-down list under the header (other values stay allowed).
    choices: Sequence[str] = ()


@dataclass
class Sheet:
    """An XLSX sheet: lines of text above the table (title, period…), then the table."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Mapping]
    preamble: Sequence[str] = field(default_factory=list)
    # How many rows under the header the drop-down lists cover (room to fill in a template).
    choice_rows: int = 1000


def _plain_decimal(number: Decimal) -> Decimal:
    """12.50 → 12.5 and 3.00 → 3, without exponents (Decimal("1E+1") → 10)."""
    if number == number.to_integral():
        return number.quantize(Decimal(1))
    return number.normalize()


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | int | float):
        text = str(_plain_decimal(Decimal(value))) if not isinstance(value, int) else str(value)
        return text.replace(".", ",")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_out(str(value))


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, line):
        return line


def csv_lines(columns: Sequence[Column], rows: Iterable[Mapping]) -> Iterator[str]:
    """The CSV file as chunks of text: BOM and header first, then CSV_CHUNK_ROWS rows a chunk."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([cell_out(str(column.header)) for column in columns])
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([csv_cell(row.get(column.key)) for column in columns]))
        if len(chunk) == CSV_CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_response(*, filename: str, columns: Sequence[Column], rows: Iterable[Mapping]):
    """A streamed CSV download: nothing is built in memory, whatever the number of rows."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_lines(columns, rows)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(value):
    """A value as openpyxl should store it: numbers and dates typed, text through the codec."""
    if isinstance(value, Decimal):
        return _plain_decimal(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, int | float | datetime.date):
        return value
    return xlsx_out(cell_out(str(value)))


def _cell(sheet, value, *, column: Column | None = None, font=None, wrap=False):
    """A cell object (for formats, fonts, wrapped text) of a value already `_xlsx_value`d."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    elif column is not None and column.number_format and cell.value is not None:
        cell.number_format = column.number_format
    elif isinstance(cell.value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(cell.value, datetime.date):
        cell.number_format = DATE_FORMAT
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _data_cell(sheet, value, column: Column):
    """A table cell: a plain value where it needs nothing else (most cells; openpyxl's cell
    objects are the slow part of a large file), a cell object for formats and wrapped text."""
    value = _xlsx_value(value)
    needs_format = isinstance(value, datetime.date) or (
        column.number_format and isinstance(value, Decimal | int | float)
    )
    if needs_format or (column.width >= WRAP_WIDTH and isinstance(value, str)):
        return _cell(sheet, value, column=column, wrap=column.width >= WRAP_WIDTH)
    # A text out of the codec never starts with "=": openpyxl stores it as text, not a formula.
    return value


def _drop_down(lists_title, list_number, count, letter, first_row, last_row):
    """A list validation offering the `count` labels of column `list_number` of the list sheet.

    Write-only worksheets have no `add_data_validation`, but write their `data_validations`
    when they are saved, like the normal worksheets whose method only appends to it.
    """
    source = get_column_letter(list_number)
    quoted = str(lists_title).replace("'", "''")
    validation = DataValidation(
        type="list", formula1=f"'{quoted}'!${source}$1:${source}${count}", allow_blank=True
    )
    validation.add(f"{letter}{first_row}:{letter}{last_row}")
    return validation


def xlsx_write(sheets: Sequence[Sheet], target, *, lists_title: str = "Lists") -> None:
    """Write the workbook to `target` (a path or a binary file), one row at a time.

    Columns with `choices` get a drop-down list; the labels go on a last, hidden sheet called
    `lists_title`, one column per list.
    """
    lists_title = str(lists_title)[:31]
    workbook = Workbook(write_only=True)
    bold, title_font = Font(bold=True), Font(bold=True, size=14)
    lists = []
    for spec in sheets:
        sheet = workbook.create_sheet(str(spec.title)[:31])
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = len(spec.preamble) + (2 if spec.preamble else 1)
        sheet.freeze_panes = f"A{header_row + 1}"
        for index, column in enumerate(spec.columns, start=1):
            if column.choices:
                lists.append(column.choices)
                sheet.data_validations.append(
                    _drop_down(
                        lists_title,
                        len(lists),
                        len(column.choices),
                        get_column_letter(index),
                        header_row + 1,
                        header_row + spec.choice_rows,
                    )
                )
        for number, line in enumerate(spec.preamble):
            font = title_font if number == 0 else None
            sheet.append([_cell(sheet, _xlsx_value(line), font=font)])
        if spec.preamble:
            sheet.append([])
        sheet.append(
            [_cell(sheet, _xlsx_value(str(c.header)), font=bold, wrap=True) for c in spec.columns]
        )
        for row in spec.rows:
            sheet.append(
                [_data_cell(sheet, row.get(column.key), column) for column in spec.columns]
            )
    if lists:
        sheet = workbook.create_sheet(lists_title)
        sheet.sheet_state = "hidden"
        for number in range(max(len(labels) for labels in lists)):
            sheet.append(
                [_xlsx_value(labels[number]) if number < len(labels) else None for labels in lists]
            )
    workbook.save(target)


def xlsx_response(*, filename: str, sheets: Sequence[Sheet]):
    """An XLSX download. The rows are streamed into the workbook (write-only mode); only the
    finished, compressed file is held in memory (a few MB at the largest plan)."""
    buffer = io.BytesIO()
    xlsx_write(sheets, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
