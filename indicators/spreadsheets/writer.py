"""The one writer of every file the app produces: CSV (streamed) and XLSX (write-only).

Each file declares its columns once (`Column`) and hands rows as dicts keyed like them. Every
text goes through the one cell codec (`cells.cell_out`, undone by the imports' `cells.cell_in`),
which prefixes an apostrophe to a text a spreadsheet would run as a formula, in CSV and XLSX
alike; XLSX text cells are always typed as strings, their control characters escaped.
Both formats are written row by row, so time is linear and memory stays flat at any size:
the CSV streams, the XLSX is built row by row by XlsxWriter in its constant-memory mode
(measured 3-4x faster than openpyxl's write-only mode on the same cells: bench/exports.py),
with formats made once per workbook and shared by the cells that need them.

A text longer than an XLSX cell holds (XLSX_TEXT_MAX, Excel's limit) is refused with a
ValidationError naming the cell, never cut: a cut text would come back cut on re-import. The
CSV has no such limit.

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
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from indicators.spreadsheets.cells import cell_out

CSV_CHUNK_ROWS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
WRAP_WIDTH = 40  # columns at least this wide wrap their text
MAX_DIGIT_PIXELS = 7  # Excel's width unit at its default font (Calibri 11)
# Excel keeps at most this many characters (UTF-16 units) in a cell; XlsxWriter cuts a longer
# text there and answers TEXT_CUT. A cut text would come back cut on re-import: refused.
XLSX_TEXT_MAX = 32_767
TEXT_CUT = -2
# Row by row to temporary files (flat memory); a text is always a text, never a formula,
# a number or a link, whatever it looks like.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


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


def _csv_number(value) -> str:
    return str(_plain_decimal(Decimal(value))).replace(".", ",")


def _csv_datetime(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat(" ", "minutes")  # the same text as strftime, faster
    return value.strftime("%Y-%m-%d %H:%M")


# The conversion of each exact type, looked up once per cell (the CSV's inner loop).
_CSV_BY_TYPE = {
    str: cell_out,
    type(None): lambda value: "",
    bool: str,
    int: str,
    Decimal: _csv_number,
    float: _csv_number,
    datetime.datetime: _csv_datetime,
    datetime.date: datetime.date.isoformat,
}


def csv_cell(value) -> str:
    convert = _CSV_BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    # Subclasses (an IntEnum, a lazy translation…) by what they are.
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | int | float):
        return str(value) if isinstance(value, int) else _csv_number(value)
    if isinstance(value, datetime.datetime):
        return _csv_datetime(value)
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
    keys = [column.key for column in columns]
    chunk = []
    for row in rows:
        get = row.get
        chunk.append(writer.writerow([csv_cell(get(key)) for key in keys]))
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


def _xlsx_text(value) -> str:
    """A text cell: through the codec. XlsxWriter escapes what XML cannot hold as `_xHHHH_`
    (the same escapes as `cells.xlsx_out`, read back by `cells.xlsx_in`)."""
    return cell_out(str(value))


def text_too_long(sheet_name, row, index, header, text) -> ValidationError:
    """The refusal of a text longer than an XLSX cell holds, naming the cell (as Excel
    shows it), its sheet and its column."""
    return ValidationError(
        _(
            "The text of cell %(cell)s (sheet “%(sheet)s”, column “%(column)s”) has "
            "%(length)s characters: an Excel file holds at most %(limit)s in a cell, so it "
            "would be cut. Shorten this text, then ask for the file again."
        )
        % {
            "cell": xl_rowcol_to_cell(row, index),
            "sheet": sheet_name,
            "column": header,
            "length": number_format(len(text.encode("utf-16-le")) // 2, force_grouping=True),
            "limit": number_format(XLSX_TEXT_MAX, force_grouping=True),
        },
        code="xlsx_text_too_long",
    )


def _write_text(sheet, row, index, text, style=None, header=""):
    """A text cell, written whole or refused (ValidationError), never cut."""
    if sheet.write_string(row, index, text, style) == TEXT_CUT:
        raise text_too_long(sheet.name, row, index, header, text)


class _Styles:
    """The workbook's formats, each made once and shared by every cell that needs it."""

    def __init__(self, workbook):
        self.workbook = workbook
        self.made = {}
        self.header = self.get(bold=True, wrap=True)
        self.title = self.get(bold=True, size=14)

    def get(self, *, number_format=None, wrap=False, bold=False, size=None):
        key = (number_format, wrap, bold, size)
        if key not in self.made:
            properties = {"num_format": number_format, "bold": bold, "font_size": size}
            if wrap:
                properties.update(text_wrap=True, valign="top")
            self.made[key] = self.workbook.add_format(
                {name: value for name, value in properties.items() if value}
            )
        return self.made[key]


def _cell_writer(sheet, column: Column, styles: _Styles):
    """A function writing one value of `column` at (row, index): typed, formatted, shared
    formats chosen once per column (numbers as numbers, dates as dates, text as text)."""
    wrap = column.width >= WRAP_WIDTH
    text_style = styles.get(wrap=True) if wrap else None
    number_style = None
    if column.number_format:
        number_style = styles.get(number_format=column.number_format, wrap=wrap)
    datetime_style = styles.get(number_format=column.number_format or DATETIME_FORMAT, wrap=wrap)
    date_style = styles.get(number_format=column.number_format or DATE_FORMAT, wrap=wrap)

    def write(row, index, value):
        if value is None or value == "":
            return  # no cell, as openpyxl wrote it: an empty text reads back as an empty cell
        if isinstance(value, str):
            if sheet.write_string(row, index, cell_out(value), text_style) == TEXT_CUT:
                raise text_too_long(sheet.name, row, index, column.header, cell_out(value))
        elif isinstance(value, bool):
            sheet.write_boolean(row, index, value)
        elif isinstance(value, int | float | Decimal):
            sheet.write_number(row, index, value, number_style)
        elif isinstance(value, datetime.datetime):
            sheet.write_datetime(row, index, value.replace(tzinfo=None), datetime_style)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, index, value, date_style)
        else:  # lazy translations and other objects: their text
            _write_text(sheet, row, index, _xlsx_text(value), text_style, column.header)

    return write


def _drop_down(sheet, lists_title, list_number, count, index, first_row, last_row):
    """A list validation offering the `count` labels of column `list_number` of the list
    sheet; other values stay allowed (no error message)."""
    source = xl_col_to_name(list_number - 1)
    quoted = str(lists_title).replace("'", "''")
    sheet.data_validation(
        first_row - 1,
        index,
        last_row - 1,
        index,
        {
            "validate": "list",
            "source": f"='{quoted}'!${source}$1:${source}${count}",
            "ignore_blank": True,
            "show_input": False,
            "show_error": False,
        },
    )


def _sheet_write(workbook, spec: Sheet, styles: _Styles, lists: list, lists_title: str) -> None:
    """One sheet: widths, frozen header, drop-downs, preamble, header, then the rows."""
    sheet = workbook.add_worksheet(str(spec.title)[:31])
    header_row = len(spec.preamble) + (2 if spec.preamble else 1)  # 1-based, as Excel shows it
    for index, column in enumerate(spec.columns):
        # In pixels, so the stored width is exactly `column.width` characters.
        sheet.set_column_pixels(index, index, column.width * MAX_DIGIT_PIXELS)
        if column.choices:
            lists.append(column.choices)
            _drop_down(
                sheet,
                lists_title,
                len(lists),
                len(column.choices),
                index,
                header_row + 1,
                header_row + spec.choice_rows,
            )
    sheet.freeze_panes(header_row, 0)
    for number, line in enumerate(spec.preamble):
        _write_text(sheet, number, 0, _xlsx_text(line), styles.title if number == 0 else None)
    for index, column in enumerate(spec.columns):
        _write_text(sheet, header_row - 1, index, _xlsx_text(column.header), styles.header)
    writers = [
        (index, column.key, _cell_writer(sheet, column, styles))
        for index, column in enumerate(spec.columns)
    ]
    for number, row in enumerate(spec.rows, start=header_row):
        get = row.get
        for index, key, write in writers:
            write(number, index, get(key))


def xlsx_write(sheets: Sequence[Sheet], target, *, lists_title: str = "Lists") -> None:
    """Write the workbook to `target` (a path or a binary file), one row at a time.

    Columns with `choices` get a drop-down list; the labels go on a last, hidden sheet called
    `lists_title`, one column per list. Raises ValidationError (`text_too_long`) for a text
    longer than a cell holds.
    """
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    try:
        _workbook_write(workbook, sheets, str(lists_title)[:31])
    except BaseException:
        _discard(workbook)
        raise
    workbook.close()


def _discard(workbook) -> None:
    """Close and delete the row files of a workbook abandoned midway (constant-memory mode
    keeps each sheet's rows in a temporary file until `close`)."""
    for sheet in workbook.worksheets():
        if sheet.row_data_fh is not None and not sheet.row_data_fh_closed:
            sheet.row_data_fh.close()
            sheet.row_data_fh_closed = True
        if sheet.row_data_filename:
            Path(sheet.row_data_filename).unlink(missing_ok=True)


def _workbook_write(workbook, sheets: Sequence[Sheet], lists_title: str) -> None:
    styles = _Styles(workbook)
    lists = []
    for spec in sheets:
        _sheet_write(workbook, spec, styles, lists, lists_title)
    if lists:
        sheet = workbook.add_worksheet(lists_title)
        sheet.hide()
        # Row by row: constant-memory sheets cannot go back to a row already written.
        for number in range(max(len(labels) for labels in lists)):
            for index, labels in enumerate(lists):
                if number < len(labels):
                    _write_text(sheet, number, index, _xlsx_text(labels[number]))


def xlsx_response(*, filename: str, sheets: Sequence[Sheet]):
    """An XLSX download. The rows are streamed into the workbook (write-only mode); only the
    finished, compressed file is held in memory (a few MB at the largest plan)."""
    buffer = io.BytesIO()
    xlsx_write(sheets, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
